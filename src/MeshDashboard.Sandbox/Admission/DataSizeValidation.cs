using System.Text;
using System.Text.Json.Nodes;
using MeshDashboard.Sandbox.Api;

namespace MeshDashboard.Sandbox.Admission;

/// <summary>
/// kube-apiserver's size rule for ConfigMaps and Secrets: their values together hold at most 1 MiB. Counted as
/// the API server counts: string values by their UTF-8 bytes, base64 values by the bytes they decode to.
/// </summary>
internal static class DataSizeValidation
{
    private const string TooLong = "Too long: may not be more than 1048576 bytes";

    public static IEnumerable<FieldCause> Validate(ResourceType type, JsonObject candidate)
    {
        if (type == ResourceTypes.ConfigMaps)
        {
            var total = Sum(candidate["data"], Utf8Length) + Sum(candidate["binaryData"], DecodedLength);
            if (total > SizeLimits.DataBytes)
            {
                // ValidateConfigMap reports the whole object (an empty field path, printed "[]"), not "data".
                yield return new FieldCause("[]", TooLong, "FieldValueTooLong");
            }
        }
        else if (type == ResourceTypes.Secrets)
        {
            // stringData is merged into data before validation, replacing data's value for the same key.
            var stringData = candidate["stringData"] as JsonObject;
            var data = candidate["data"] as JsonObject;
            var total = Sum(stringData, Utf8Length)
                + (data?.Where(p => stringData?.ContainsKey(p.Key) != true).Sum(p => DecodedLength(p.Value)) ?? 0);
            if (total > SizeLimits.DataBytes)
            {
                yield return new FieldCause("data", TooLong, "FieldValueTooLong");
            }
        }
    }

    private static long Sum(JsonNode? map, Func<JsonNode?, long> size) =>
        map is JsonObject values ? values.Sum(p => size(p.Value)) : 0;

    private static long Utf8Length(JsonNode? value) => Text(value) is { } text ? Encoding.UTF8.GetByteCount(text) : 0;

    private static long DecodedLength(JsonNode? value)
    {
        if (Text(value) is not { } text)
        {
            return 0;
        }
        var padding = text.EndsWith("==", StringComparison.Ordinal) ? 2 : text.EndsWith('=') ? 1 : 0;
        return (long)text.Length * 3 / 4 - padding;
    }

    private static string? Text(JsonNode? value) => value is JsonValue v && v.TryGetValue<string>(out var text) ? text : null;
}
