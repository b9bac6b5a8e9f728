using System.Text.Json;

namespace ScalableApi.Bench.Reporting;

internal static class Json
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private static readonly JsonSerializerOptions Line = new(JsonSerializerDefaults.Web);

    public static IEnumerable<T> ReadLines<T>(string path) =>
        File.ReadLines(path)
            .Where(line => !string.IsNullOrWhiteSpace(line))
            .Select(line => JsonSerializer.Deserialize<T>(line, Line) ?? throw new InvalidDataException($"{path}: empty record"));
}
