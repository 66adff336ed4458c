using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace MeshDashboard.Cluster.Changes;

/// <summary>
/// Writes JSON objects as the YAML people read in kubectl: block style, keys in their stored order, strings
/// quoted only where YAML would read them as something else. Server-owned metadata is left out of diffs.
/// </summary>
public static partial class YamlText
{
    private static readonly string[] ServerOwnedMetadata = ["resourceVersion", "uid", "creationTimestamp", "generation", "managedFields", "selfLink"];

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$|^(true|false|yes|no|on|off|null|~|True|False|Yes|No|On|Off|Null|TRUE|FALSE|NULL)$")]
    private static partial Regex LooksLikeScalar();

    /// <summary>The object as YAML without status and server-owned metadata: what a change is about.</summary>
    public static string ForReview(JsonObject? obj)
    {
        if (obj is null)
        {
            return "";
        }
        var copy = (JsonObject)obj.DeepClone();
        copy.Remove("status");
        if (copy["metadata"] is JsonObject metadata)
        {
            foreach (var field in ServerOwnedMetadata)
            {
                metadata.Remove(field);
            }
            if (metadata["annotations"] is JsonObject annotations)
            {
                annotations.Remove("kubectl.kubernetes.io/last-applied-configuration");
                if (annotations.Count == 0)
                {
                    metadata.Remove("annotations");
                }
            }
        }
        return Write(copy);
    }

    public static string Write(JsonNode? node)
    {
        var builder = new StringBuilder();
        WriteNode(builder, node, 0, inList: false);
        return builder.ToString();
    }

    private static void WriteNode(StringBuilder builder, JsonNode? node, int indent, bool inList)
    {
        switch (node)
        {
            case JsonObject obj when obj.Count > 0:
                var first = true;
                foreach (var (key, value) in obj)
                {
                    if (!(first && inList))
                    {
                        builder.Append(' ', indent);
                    }
                    first = false;
                    builder.Append(Scalar(key)).Append(':');
                    WriteValueAfterKey(builder, value, indent);
                }
                break;
            case JsonArray array when array.Count > 0:
                foreach (var item in array)
                {
                    builder.Append(' ', indent).Append("- ");
                    if (item is JsonObject { Count: > 0 } or JsonArray { Count: > 0 })
                    {
                        if (item is JsonArray)
                        {
                            builder.Append('\n');
                            WriteNode(builder, item, indent + 2, inList: false);
                        }
                        else
                        {
                            WriteNode(builder, item, indent + 2, inList: true);
                        }
                    }
                    else
                    {
                        builder.Append(Inline(item)).Append('\n');
                    }
                }
                break;
            default:
                builder.Append(' ', indent).Append(Inline(node)).Append('\n');
                break;
        }
    }

    private static void WriteValueAfterKey(StringBuilder builder, JsonNode? value, int indent)
    {
        switch (value)
        {
            case JsonObject { Count: > 0 }:
                builder.Append('\n');
                WriteNode(builder, value, indent + 2, inList: false);
                break;
            case JsonArray { Count: > 0 }:
                builder.Append('\n');
                WriteNode(builder, value, indent, inList: false);
                break;
            default:
                builder.Append(' ').Append(Inline(value)).Append('\n');
                break;
        }
    }

    private static string Inline(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "{}",
        JsonArray => "[]",
        JsonValue value => value.GetValueKind() switch
        {
            JsonValueKind.String => Scalar(value.GetValue<string>()),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => value.ToJsonString(),
        },
        _ => node.ToJsonString(),
    };

    private static string Scalar(string text)
    {
        var needsQuotes = text.Length == 0 || LooksLikeScalar().IsMatch(text) || text.Contains(": ", StringComparison.Ordinal) ||
            text.Contains(" #", StringComparison.Ordinal) || text.Contains('\n', StringComparison.Ordinal) ||
            "-?:,[]{}#&*!|>'\"%@`".Contains(text[0], StringComparison.Ordinal) || text != text.Trim() || text.EndsWith(':');
        return needsQuotes ? JsonSerializer.Serialize(text) : text;
    }

    internal static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
