using System.Text.Json;
using System.Text.Json.Nodes;
using MeshDashboard.Mesh.Istio;
using MeshDashboard.Mesh.Operations;

namespace MeshDashboard.Api;

/// <summary>
/// Reads API request bodies field by field, so every problem is reported with the field's path and the rule
/// it breaks (a malformed number, a missing object), never as a generic deserialization failure.
/// </summary>
internal sealed class RequestReader
{
    private readonly List<FieldError> _errors = [];

    public IReadOnlyList<FieldError> Errors => _errors;

    public static async Task<(JsonObject? Body, FieldError? Error)> ParseAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            var node = await JsonNode.ParseAsync(request.Body, cancellationToken: cancellationToken);
            return node is JsonObject obj ? (obj, null) : (null, new FieldError("body", "must be a JSON object"));
        }
        catch (JsonException error)
        {
            return (null, new FieldError("body", $"is not valid JSON: {error.Message}"));
        }
    }

    public void Fail(string field, string message) => _errors.Add(new FieldError(field, message));

    public string? String(JsonNode? parent, string name, string path, bool required = false)
    {
        var node = parent?[name];
        if (node is null)
        {
            if (required)
            {
                Fail(path, "is required");
            }
            return null;
        }
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.String)
        {
            return value.GetValue<string>();
        }
        Fail(path, "must be a string");
        return null;
    }

    public int? Integer(JsonNode? parent, string name, string path, bool required = false)
    {
        var node = parent?[name];
        if (node is null)
        {
            if (required)
            {
                Fail(path, "is required");
            }
            return null;
        }
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<int>(out var number))
        {
            return number;
        }
        Fail(path, "must be a whole number");
        return null;
    }

    public double? Number(JsonNode? parent, string name, string path)
    {
        var node = parent?[name];
        if (node is null)
        {
            return null;
        }
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.Number)
        {
            return value.GetValue<double>();
        }
        Fail(path, "must be a number");
        return null;
    }

    public JsonObject? Object(JsonNode? parent, string name, string path, bool required = false)
    {
        var node = parent?[name];
        if (node is null)
        {
            if (required)
            {
                Fail(path, "is required");
            }
            return null;
        }
        if (node is JsonObject obj)
        {
            return obj;
        }
        Fail(path, "must be an object");
        return null;
    }

    public JsonArray? Array(JsonNode? parent, string name, string path, bool required = false)
    {
        var node = parent?[name];
        if (node is null)
        {
            if (required)
            {
                Fail(path, "is required");
            }
            return null;
        }
        if (node is JsonArray array)
        {
            return array;
        }
        Fail(path, "must be an array");
        return null;
    }

    /// <summary>A field of a partial update: left out = keep, <c>null</c> = remove, a whole number = set.</summary>
    public Patch<int> PatchInteger(JsonObject parent, string name, string path) =>
        !parent.TryGetPropertyValue(name, out var node) ? Patch<int>.Keep
        : node is null ? Patch<int>.Remove
        : Integer(parent, name, path) is { } value ? value : Patch<int>.Keep;

    /// <summary>A field of a partial update: left out = keep, <c>null</c> = remove, a string = set.</summary>
    public Patch<string> PatchString(JsonObject parent, string name, string path) =>
        !parent.TryGetPropertyValue(name, out var node) ? Patch<string>.Keep
        : node is null ? Patch<string>.Remove
        : String(parent, name, path) is { } value ? value : Patch<string>.Keep;

    /// <summary>An object of a partial update: left out = keep, <c>null</c> = remove, an object = patch it with <paramref name="read"/>.</summary>
    public Patch<T> PatchObject<T>(JsonObject parent, string name, string path, Func<JsonObject, T> read) =>
        !parent.TryGetPropertyValue(name, out var node) ? Patch<T>.Keep
        : node is null ? Patch<T>.Remove
        : Object(parent, name, path) is { } obj ? read(obj) : Patch<T>.Keep;

    /// <summary>A map of subset name to integer weight, e.g. <c>{"v1": 25, "v2": 75}</c>.</summary>
    public Dictionary<string, int> Weights(JsonNode? parent, string name, string path)
    {
        var result = new Dictionary<string, int>();
        var map = Object(parent, name, path, required: true);
        foreach (var (subset, _) in map ?? [])
        {
            if (Integer(map, subset, $"{path}.{subset}") is { } weight)
            {
                result[subset] = weight;
            }
        }
        return result;
    }

    public T? Enum<T>(JsonNode? parent, string name, string path)
        where T : struct, System.Enum
    {
        var text = String(parent, name, path);
        if (text is null)
        {
            return null;
        }
        if (System.Enum.TryParse<T>(text, ignoreCase: true, out var value) && !int.TryParse(text, out _))
        {
            return value;
        }
        Fail(path, $"must be one of {string.Join(", ", System.Enum.GetNames<T>().Select(n => char.ToLowerInvariant(n[0]) + n[1..]))}");
        return null;
    }

    private List<MatchCondition> Conditions(JsonArray array, string path)
    {
        var conditions = new List<MatchCondition>();
        for (var j = 0; j < array.Count; j++)
        {
            var conditionPath = $"{path}[{j}]";
            var condition = array[j];
            var kind = Enum<ConditionKind>(condition, "kind", $"{conditionPath}.kind") ?? ConditionKind.Header;
            var match = Enum<MatchKind>(condition, "match", $"{conditionPath}.match") ?? MatchKind.Exact;
            conditions.Add(new MatchCondition(kind, String(condition, "name", $"{conditionPath}.name"), match, String(condition, "value", $"{conditionPath}.value") ?? ""));
        }
        return conditions;
    }

    public IReadOnlyList<RoutingRule> Rules(JsonObject body)
    {
        var rules = new List<RoutingRule>();
        var array = Array(body, "rules", "rules", required: true) ?? [];
        for (var i = 0; i < array.Count; i++)
        {
            var path = $"rules[{i}]";
            var rule = array[i] as JsonObject;
            if (rule is null)
            {
                Fail(path, "must be an object");
                continue;
            }
            var conditions = Conditions(Array(rule, "conditions", $"{path}.conditions", required: true) ?? [], $"{path}.conditions");
            var orConditions = new List<IReadOnlyList<MatchCondition>>();
            var orArray = Array(rule, "orConditions", $"{path}.orConditions") ?? [];
            for (var j = 0; j < orArray.Count; j++)
            {
                var setPath = $"{path}.orConditions[{j}]";
                if (orArray[j] is JsonArray set)
                {
                    orConditions.Add(Conditions(set, setPath));
                }
                else
                {
                    Fail(setPath, "must be an array of conditions");
                }
            }
            rules.Add(new RoutingRule(String(rule, "name", $"{path}.name", required: true) ?? "", conditions, Weights(rule, "targets", $"{path}.targets"))
            {
                OrConditions = orConditions,
            });
        }
        return rules;
    }
}
