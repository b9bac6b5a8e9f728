namespace ScalableApi.Deploy.Tests.Support;

/// <summary>One instruction of a Dockerfile: <c>COPY --from=build /app ./</c> is (COPY, {from: build}, [/app, ./]).</summary>
internal sealed record Instruction(string Keyword, IReadOnlyDictionary<string, string> Flags, string Arguments, int Stage)
{
    public IReadOnlyList<string> Words => Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>A Dockerfile parsed as the builder reads it: comments dropped, continuations joined, flags split off.</summary>
internal sealed partial class Dockerfile
{
    private Dockerfile(IReadOnlyList<Instruction> instructions) => Instructions = instructions;

    public IReadOnlyList<Instruction> Instructions { get; }

    /// <summary>Stage names, in order (<c>FROM image AS name</c>; unnamed stages by index).</summary>
    public IReadOnlyList<string> Stages => [.. Instructions.Where(i => i.Keyword == "FROM").Select((i, n) => i.Words is [_, var asWord, var name] && asWord.Equals("AS", StringComparison.OrdinalIgnoreCase) ? name : n.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    public IEnumerable<Instruction> InFinalStage => Instructions.Where(i => i.Stage == Stages.Count - 1);

    /// <summary><c>ENV</c> of the final stage (the running container's environment), <c>KEY=value</c> pairs.</summary>
    public IReadOnlyDictionary<string, string> FinalEnvironment =>
        InFinalStage.Where(i => i.Keyword == "ENV")
            .SelectMany(i => EnvPair().Matches(i.Arguments).Select(m => KeyValuePair.Create(m.Groups["key"].Value, m.Groups["value"].Value.Trim('"'))))
            .ToDictionary();

    public static Dockerfile Parse(string text)
    {
        var instructions = new List<Instruction>();
        var stage = -1;
        var logical = "";
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (logical.Length == 0 && line.TrimStart().StartsWith('#'))
            {
                continue; // comments (and the syntax directive) only at the start of an instruction
            }

            if (line.EndsWith('\\'))
            {
                logical += line[..^1] + " ";
                continue;
            }

            logical += line;
            if (!string.IsNullOrWhiteSpace(logical))
            {
                var match = InstructionLine().Match(logical.Trim());
                var keyword = match.Groups["keyword"].Value.ToUpperInvariant();
                if (keyword == "FROM")
                {
                    stage++;
                }

                var flags = match.Groups["flag"].Captures.Select(c => c.Value.Split('=', 2))
                    .ToDictionary(f => f[0], f => f.Length > 1 ? f[1] : "", StringComparer.OrdinalIgnoreCase);
                instructions.Add(new Instruction(keyword, flags, match.Groups["args"].Value.Trim(), stage));
            }

            logical = "";
        }

        return new Dockerfile(instructions);
    }

    [GeneratedRegex(@"^(?<keyword>[A-Za-z]+)\s+(?:--(?<flag>[a-z-]+(?:=\S+)?)\s+)*(?<args>.*)$", RegexOptions.Singleline)]
    private static partial Regex InstructionLine();

    [GeneratedRegex(@"(?<key>[A-Za-z_][A-Za-z0-9_]*)=(?<value>""[^""]*""|\S+)")]
    private static partial Regex EnvPair();
}
