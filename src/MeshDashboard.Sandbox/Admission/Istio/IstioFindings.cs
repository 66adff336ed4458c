using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MeshDashboard.Sandbox.Api;

namespace MeshDashboard.Sandbox.Admission.Istio;

/// <summary>What istiod's webhook says of one object: errors refuse it, warnings come back beside an accepted write.</summary>
public sealed record IstioVerdict(IReadOnlyList<FieldCause> Errors, IReadOnlyList<string> Warnings)
{
    public bool Refused => Errors.Count > 0;
}

/// <summary>
/// Collects errors and warnings while the per-kind checks walk an object, each naming the field it is about, and holds
/// the readers of JSON values the checks share (a value of the wrong JSON type reads as absent: the schema refuses it).
/// </summary>
internal sealed class IstioFindings
{
    private readonly List<FieldCause> _errors = [];
    private readonly List<string> _warnings = [];

    public void Error(string path, string message) => _errors.Add(new FieldCause(path, message));

    public void Warn(string path, string message) => _warnings.Add($"{path}: {message}");

    public IstioVerdict ToVerdict() => new([.. _errors], [.. _warnings]);

    public static string? Text(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    /// <summary>A whole JSON number, however the node holds it (parsed text or a CLR int, long or double).</summary>
    public static long? Integer(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number
        && long.TryParse(value.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : null;

    public static double? Number(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number
        && double.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : null;

    public static bool IsTrue(JsonNode? node) => node is JsonValue value && value.GetValueKind() == JsonValueKind.True;

    /// <summary>The strings of a list (other items skipped).</summary>
    public static List<string> Strings(JsonNode? node) =>
        node is JsonArray array ? [.. array.Select(Text).OfType<string>()] : [];

    /// <summary>The items of a list, null items included (istiod refuses some of them by name).</summary>
    public static IReadOnlyList<JsonNode?> Items(JsonNode? node) => node is JsonArray array ? [.. array] : [];

    public static int Count(JsonNode? node) => node is JsonArray array ? array.Count : 0;

    /// <summary>True when a string field is set to a non-empty value (proto3 reads "" as unset).</summary>
    public static bool HasText(JsonNode? node) => !string.IsNullOrEmpty(Text(node));

    /// <summary>A map of strings as key/value pairs (values of another type read as null).</summary>
    public static IEnumerable<KeyValuePair<string, string?>> StringMap(JsonNode? node) =>
        node is JsonObject map ? map.Select(p => new KeyValuePair<string, string?>(p.Key, Text(p.Value))) : [];
}
