namespace ScalableApi.Platform.Errors;

/// <summary>Problem titles more than one place answers with, so a client sees one wording for one kind of error.</summary>
public static class ProblemTitles
{
    /// <summary>Any 400 with field errors: a body's validator, a query value, a page request.</summary>
    public const string Validation = "One or more fields are not valid.";
}
