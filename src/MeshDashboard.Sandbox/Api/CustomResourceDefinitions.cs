using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace MeshDashboard.Sandbox.Api;

/// <summary>
/// apiextensions.k8s.io/v1 CustomResourceDefinitions: what makes one acceptable (the checks of the API server's CRD
/// validation that a person is likely to meet), the status the server gives it, and the served kind it defines.
/// </summary>
internal static partial class CustomResourceDefinitions
{
    [GeneratedRegex(@"^v(\d+)(?:(alpha|beta)(\d+))?$")]
    private static partial Regex KubeVersion();

    public static List<FieldCause> Validate(JsonObject crd)
    {
        var causes = new List<FieldCause>();
        var spec = crd["spec"] as JsonObject;
        var group = (string?)spec?["group"] ?? "";
        var names = spec?["names"] as JsonObject;
        var plural = (string?)names?["plural"] ?? "";
        if (group.Length == 0 || !group.Contains('.', StringComparison.Ordinal))
        {
            causes.Add(new("spec.group", $"Invalid value: \"{group}\": should be a domain with at least one dot"));
        }
        if (plural.Length == 0)
        {
            causes.Add(new("spec.names.plural", "Required value", "FieldValueRequired"));
        }
        if (string.IsNullOrEmpty((string?)names?["kind"]))
        {
            causes.Add(new("spec.names.kind", "Required value", "FieldValueRequired"));
        }
        var name = (string?)crd["metadata"]?["name"] ?? "";
        if (plural.Length > 0 && name != $"{plural}.{group}")
        {
            causes.Add(new("metadata.name", $"Invalid value: \"{name}\": must be spec.names.plural+\".\"+spec.group"));
        }
        if ((string?)spec?["scope"] is not ("Namespaced" or "Cluster"))
        {
            causes.Add(new("spec.scope", $"Unsupported value: \"{(string?)spec?["scope"]}\": supported values: \"Cluster\", \"Namespaced\"", "FieldValueNotSupported"));
        }
        var versions = (spec?["versions"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        if (versions.Count == 0)
        {
            causes.Add(new("spec.versions", "Invalid value: null: must have exactly one version marked as storage version"));
        }
        else if (versions.Count(v => (bool?)v["storage"] == true) != 1)
        {
            causes.Add(new("spec.versions", "Invalid value: must have exactly one version marked as storage version"));
        }
        for (var i = 0; i < versions.Count; i++)
        {
            var schema = versions[i]["schema"]?["openAPIV3Schema"] as JsonObject;
            if (schema is null)
            {
                causes.Add(new($"spec.versions[{i}].schema.openAPIV3Schema", "Required value: schemas are required", "FieldValueRequired"));
            }
            else if ((string?)schema["type"] != "object")
            {
                causes.Add(new($"spec.versions[{i}].schema.openAPIV3Schema.type", "Unsupported value: must be object at the root", "FieldValueNotSupported"));
            }
        }
        return causes;
    }

    /// <summary>The status the API server's controllers give a CRD whose names are free: accepted and established.</summary>
    public static JsonObject Status(JsonObject crd, string now)
    {
        var spec = crd["spec"] as JsonObject;
        JsonObject Condition(string type, string reason, string message) => new()
        {
            ["type"] = type,
            ["status"] = "True",
            ["lastTransitionTime"] = now,
            ["reason"] = reason,
            ["message"] = message,
        };
        var storage = (spec?["versions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(v => (bool?)v["storage"] == true)?["name"]?.DeepClone();
        return new JsonObject
        {
            ["conditions"] = new JsonArray(Condition("NamesAccepted", "NoConflicts", "no conflicts found"), Condition("Established", "InitialNamesAccepted", "the initial names have been accepted")),
            ["acceptedNames"] = spec?["names"]?.DeepClone(),
            ["storedVersions"] = storage is null ? new JsonArray() : new JsonArray(storage),
        };
    }

    /// <summary>The kind a CRD defines, with its served versions in the order discovery prefers them.</summary>
    public static ResourceType ToResourceType(JsonObject crd)
    {
        var spec = (JsonObject)crd["spec"]!;
        var names = (JsonObject)spec["names"]!;
        var versions = ((JsonArray)spec["versions"]!).OfType<JsonObject>().ToList();
        var served = versions.Where(v => (bool?)v["served"] != false).Select(v => (string)v["name"]!).OrderBy(v => v, Comparer<string>.Create(ComparePriority)).ToList();
        var storage = (string)versions.First(v => (bool?)v["storage"] == true)["name"]!;
        var kind = (string)names["kind"]!;
        return new ResourceType(
            (string)spec["group"]!,
            served.Count > 0 ? served : [storage],
            (string)names["plural"]!,
            (string?)names["singular"] ?? kind.ToLowerInvariant(),
            kind,
            (string?)spec["scope"] == "Namespaced",
            Strings(names["shortNames"]),
            HasSpecGeneration: true)
        {
            Categories = Strings(names["categories"]),
            StorageVersion = storage,
            Definition = new CustomResourceDefinition(
                (string)crd["metadata"]!["name"]!,
                (string?)names["listKind"] ?? kind + "List",
                versions.ToDictionary(v => (string)v["name"]!, v => v["schema"]?["openAPIV3Schema"] as JsonObject),
                versions.ToDictionary(v => (string)v["name"]!, v => v["additionalPrinterColumns"] as JsonArray ?? []),
                versions.Any(v => v["subresources"]?["status"] is not null)),
        };
    }

    private static List<string> Strings(JsonNode? node) =>
        node is JsonArray array ? array.Select(n => (string?)n).OfType<string>().ToList() : [];

    /// <summary>Kubernetes' version priority: GA before beta before alpha, higher numbers first; other names last, alphabetically.</summary>
    internal static int ComparePriority(string a, string b)
    {
        static (int Rank, int Major, int Minor) Key(string v)
        {
            var match = KubeVersion().Match(v);
            if (!match.Success)
            {
                return (3, 0, 0);
            }
            var major = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            var minor = match.Groups[3].Success ? int.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture) : 0;
            return (match.Groups[2].Value switch { "" => 0, "beta" => 1, _ => 2 }, -major, -minor);
        }
        var (x, y) = (Key(a), Key(b));
        var byKey = x.CompareTo(y);
        return byKey != 0 ? byKey : string.CompareOrdinal(a, b);
    }
}
