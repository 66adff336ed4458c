using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using MeshDashboard.Sandbox.Api;

namespace MeshDashboard.Sandbox.Patching;

/// <summary>
/// JSON Patch (RFC 6902) with JSON Pointers (RFC 6901). Operations apply in order to a copy; a failed
/// <c>test</c> or a bad path refuses the whole patch with 422, as the Kubernetes API server does.
/// </summary>
public static class JsonPatch
{
    public static JsonObject Apply(JsonObject document, JsonNode? patch)
    {
        if (patch is not JsonArray operations)
        {
            throw ApiException.BadRequest("a JSON patch must be an array of operations");
        }
        JsonNode root = document.DeepClone();
        for (var i = 0; i < operations.Count; i++)
        {
            if (operations[i] is not JsonObject operation)
            {
                throw ApiException.BadRequest($"JSON patch operation {i} is not an object");
            }
            var op = (string?)operation["op"] ?? throw Unprocessable($"operation {i} has no \"op\"");
            var path = (string?)operation["path"] ?? throw Unprocessable($"operation {i} has no \"path\"");
            switch (op)
            {
                case "add":
                    root = Add(root, path, Value(operation, i));
                    break;
                case "remove":
                    root = Remove(root, path, out _);
                    break;
                case "replace":
                    _ = Resolve(root, path);
                    root = Remove(root, path, out _);
                    root = Add(root, path, Value(operation, i));
                    break;
                case "move":
                    {
                        var from = (string?)operation["from"] ?? throw Unprocessable($"operation {i} has no \"from\"");
                        root = Remove(root, from, out var moved);
                        root = Add(root, path, moved);
                        break;
                    }
                case "copy":
                    {
                        var from = (string?)operation["from"] ?? throw Unprocessable($"operation {i} has no \"from\"");
                        root = Add(root, path, Resolve(root, from)?.DeepClone());
                        break;
                    }
                case "test":
                    {
                        var actual = Resolve(root, path);
                        var expected = Value(operation, i);
                        if (!JsonNode.DeepEquals(actual, expected))
                        {
                            throw Unprocessable($"testing value {path} failed: test operation {i} expected {expected?.ToJsonString() ?? "null"} but found {actual?.ToJsonString() ?? "null"}");
                        }
                        break;
                    }
                default:
                    throw Unprocessable($"unknown JSON patch operation \"{op}\"");
            }
        }
        return root as JsonObject ?? throw Unprocessable("the patched document is not an object");
    }

    private static JsonNode? Value(JsonObject operation, int index) =>
        operation.TryGetPropertyValue("value", out var value)
            ? value?.DeepClone()
            : throw Unprocessable($"operation {index} has no \"value\"");

    private static ApiException Unprocessable(string message) => new(HttpStatusCode.UnprocessableEntity, "Invalid", message);

    private static List<string> Tokens(string pointer)
    {
        if (pointer.Length == 0)
        {
            return [];
        }
        if (pointer[0] != '/')
        {
            throw Unprocessable($"JSON pointer \"{pointer}\" must start with '/'");
        }
        return pointer[1..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToList();
    }

    private static JsonNode? Resolve(JsonNode root, string pointer) => Resolve(root, Tokens(pointer), pointer);

    private static JsonNode? Resolve(JsonNode root, IEnumerable<string> tokens, string pointer)
    {
        JsonNode? current = root;
        foreach (var token in tokens)
        {
            current = current switch
            {
                JsonObject obj when obj.TryGetPropertyValue(token, out var child) => child,
                JsonArray array when int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < array.Count => array[index],
                _ => throw Unprocessable($"path {pointer} does not exist"),
            };
        }
        return current;
    }

    private static JsonNode Add(JsonNode root, string pointer, JsonNode? value)
    {
        var tokens = Tokens(pointer);
        if (tokens.Count == 0)
        {
            return value ?? throw Unprocessable("cannot replace the document with null");
        }
        var parent = Resolve(root, tokens.SkipLast(1), pointer);
        var last = tokens[^1];
        switch (parent)
        {
            case JsonObject obj:
                obj[last] = value;
                break;
            case JsonArray array when last == "-":
                array.Add(value);
                break;
            case JsonArray array when int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index <= array.Count:
                array.Insert(index, value);
                break;
            default:
                throw Unprocessable($"path {pointer} cannot be added to");
        }
        return root;
    }

    private static JsonNode Remove(JsonNode root, string pointer, out JsonNode? removed)
    {
        var tokens = Tokens(pointer);
        if (tokens.Count == 0)
        {
            throw Unprocessable("cannot remove the whole document");
        }
        var parent = Resolve(root, tokens.SkipLast(1), pointer);
        var last = tokens[^1];
        switch (parent)
        {
            case JsonObject obj when obj.TryGetPropertyValue(last, out var child):
                obj.Remove(last);
                removed = child;
                break;
            case JsonArray array when int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < array.Count:
                removed = array[index];
                array.RemoveAt(index);
                break;
            default:
                throw Unprocessable($"path {pointer} does not exist");
        }
        return root;
    }
}
