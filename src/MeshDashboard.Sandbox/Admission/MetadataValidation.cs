using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MeshDashboard.Sandbox.Api;

namespace MeshDashboard.Sandbox.Admission;

/// <summary>The object-metadata rules every kind shares: names, labels, annotations.</summary>
internal static partial class MetadataValidation
{
    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex DnsSubdomain();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex DnsLabel();

    [GeneratedRegex("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")]
    private static partial Regex LabelValue();

    public static List<FieldCause> Validate(ResourceType type, JsonObject candidate)
    {
        var causes = new List<FieldCause>();
        if (candidate["metadata"] is not JsonObject metadata)
        {
            causes.Add(new FieldCause("metadata", "Required value", "FieldValueRequired"));
            return causes;
        }

        var name = metadata["name"] is JsonValue nameValue && nameValue.TryGetValue<string>(out var n) ? n : null;
        var nameRule = type == ResourceTypes.Namespaces || type == ResourceTypes.Services ? DnsLabel() : DnsSubdomain();
        var maxLength = type == ResourceTypes.Namespaces || type == ResourceTypes.Services ? 63 : 253;
        if (name is null || name.Length > maxLength || !nameRule.IsMatch(name))
        {
            causes.Add(new FieldCause("metadata.name",
                $"Invalid value: \"{name}\": a lowercase RFC 1123 {(maxLength == 63 ? "label" : "subdomain")} must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character"));
        }

        if (metadata["labels"] is { } labels)
        {
            if (labels is not JsonObject labelObject)
            {
                causes.Add(new FieldCause("metadata.labels", "Invalid value: must be an object of strings", "FieldValueTypeInvalid"));
            }
            else
            {
                foreach (var (key, value) in labelObject)
                {
                    if (!IsQualifiedName(key))
                    {
                        causes.Add(new FieldCause($"metadata.labels", $"Invalid value: \"{key}\": name part must consist of alphanumeric characters, '-', '_' or '.'"));
                    }
                    if (value is not JsonValue v || !v.TryGetValue<string>(out var text) || text.Length > 63 || !LabelValue().IsMatch(text))
                    {
                        causes.Add(new FieldCause($"metadata.labels", $"Invalid value: \"{value}\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.' (63 characters at most)"));
                    }
                }
            }
        }

        if (metadata["annotations"] is { } annotations && (annotations is not JsonObject annotationObject || annotationObject.Any(p => p.Value is not JsonValue)))
        {
            causes.Add(new FieldCause("metadata.annotations", "Invalid value: annotations must be a map of strings", "FieldValueTypeInvalid"));
        }
        return causes;
    }

    private static bool IsQualifiedName(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var name = slash >= 0 ? key[(slash + 1)..] : key;
        var prefix = slash >= 0 ? key[..slash] : null;
        if (prefix is not null && (prefix.Length > 253 || !DnsSubdomain().IsMatch(prefix)))
        {
            return false;
        }
        return name.Length is > 0 and <= 63 && LabelValue().IsMatch(name);
    }
}
