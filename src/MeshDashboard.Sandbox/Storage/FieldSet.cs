using System.Text.Json.Nodes;

namespace MeshDashboard.Sandbox.Storage;

/// <summary>
/// The fields of an object a manager owns, as the leaf paths of the object (a path is a list of keys joined with '/',
/// keys escaped as in JSON Pointer). Lists count as one field (atomic), as Istio's CRD schemas declare none of their
/// lists a map or a set; an empty object is a leaf. Converts to and from the <c>FieldsV1</c> form kept in managedFields.
/// </summary>
internal static class FieldSet
{
    /// <summary>Metadata fields people own; the rest of metadata is the server's and never in a field set.</summary>
    private static readonly HashSet<string> OwnedMetadata = ["labels", "annotations", "finalizers", "ownerReferences"];

    public static HashSet<string> Leaves(JsonObject obj, bool statusIsSubresource)
    {
        var leaves = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in obj)
        {
            if (key is "apiVersion" or "kind" || (key == "status" && statusIsSubresource))
            {
                continue;
            }
            if (key == "metadata")
            {
                if (value is JsonObject metadata)
                {
                    foreach (var (metaKey, metaValue) in metadata.Where(p => OwnedMetadata.Contains(p.Key)))
                    {
                        Walk(metaValue, "metadata/" + Escape(metaKey), leaves);
                    }
                }
                continue;
            }
            Walk(value, Escape(key), leaves);
        }
        return leaves;
    }

    private static void Walk(JsonNode? node, string path, HashSet<string> leaves)
    {
        if (node is JsonObject obj && obj.Count > 0)
        {
            foreach (var (key, value) in obj)
            {
                Walk(value, path + "/" + Escape(key), leaves);
            }
            return;
        }
        leaves.Add(path);
    }

    public static string Escape(string key) => key.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    public static string[] Keys(string path) =>
        path.Split('/').Select(k => k.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToArray();

    /// <summary>Whether two paths overlap: the same field, or one inside the other.</summary>
    public static bool Overlaps(string a, string b) =>
        a == b || a.StartsWith(b + "/", StringComparison.Ordinal) || b.StartsWith(a + "/", StringComparison.Ordinal);

    public static JsonNode? ValueAt(JsonObject obj, string path)
    {
        JsonNode? node = obj;
        foreach (var key in Keys(path))
        {
            if (node is not JsonObject current || !current.TryGetPropertyValue(key, out node))
            {
                return null;
            }
        }
        return node;
    }

    public static bool Has(JsonObject obj, string path)
    {
        JsonNode? node = obj;
        foreach (var key in Keys(path))
        {
            if (node is not JsonObject current || !current.TryGetPropertyValue(key, out node))
            {
                return false;
            }
        }
        return true;
    }

    public static void Set(JsonObject obj, string path, JsonNode? value)
    {
        var keys = Keys(path);
        var current = obj;
        foreach (var key in keys[..^1])
        {
            if (current[key] is not JsonObject next)
            {
                next = [];
                current[key] = next;
            }
            current = next;
        }
        current[keys[^1]] = value?.DeepClone();
    }

    /// <summary>Removes a field, and the objects it leaves empty below the top level.</summary>
    public static void Remove(JsonObject obj, string path)
    {
        var keys = Keys(path);
        var chain = new List<JsonObject> { obj };
        foreach (var key in keys[..^1])
        {
            if (chain[^1][key] is not JsonObject next)
            {
                return;
            }
            chain.Add(next);
        }
        chain[^1].Remove(keys[^1]);
        for (var i = chain.Count - 1; i >= 2 && chain[i].Count == 0; i--)
        {
            chain[i - 1].Remove(keys[i - 1]);
        }
    }

    /// <summary>The FieldsV1 form: <c>{"f:spec":{"f:hosts":{}}}</c>.</summary>
    public static JsonObject ToFieldsV1(IEnumerable<string> paths)
    {
        var root = new JsonObject();
        foreach (var path in paths.Order(StringComparer.Ordinal))
        {
            var current = root;
            foreach (var key in Keys(path))
            {
                if (current["f:" + key] is not JsonObject next)
                {
                    next = [];
                    current["f:" + key] = next;
                }
                current = next;
            }
        }
        return root;
    }

    public static HashSet<string> FromFieldsV1(JsonNode? fields)
    {
        var paths = new HashSet<string>(StringComparer.Ordinal);
        if (fields is JsonObject obj)
        {
            Collect(obj, "", paths);
        }
        return paths;

        static void Collect(JsonObject node, string prefix, HashSet<string> paths)
        {
            foreach (var (key, value) in node)
            {
                if (!key.StartsWith("f:", StringComparison.Ordinal))
                {
                    continue;
                }
                var path = (prefix.Length == 0 ? "" : prefix + "/") + Escape(key[2..]);
                if (value is JsonObject child && child.Any(p => p.Key.StartsWith("f:", StringComparison.Ordinal)))
                {
                    Collect(child, path, paths);
                }
                else
                {
                    paths.Add(path);
                }
            }
        }
    }
}
