using System.Text.Json.Nodes;
using MeshDashboard.Mesh.Istio;
using MeshDashboard.Mesh.Operations;

namespace MeshDashboard.Api;

/// <summary>
/// Turns bound request records (<see cref="JsonRequestBody"/>) into the domain's values: enum names, rules and
/// conditions, and the patches of a partial update. Binding has checked kinds and required fields; what is left are
/// the rules records cannot state (an enum's names, null array elements), reported with the field's path.
/// </summary>
internal sealed class RequestReader
{
    private readonly List<FieldError> _errors = [];

    public IReadOnlyList<FieldError> Errors => _errors;

    public void Fail(string field, string message) => _errors.Add(new FieldError(field, message));

    /// <summary>
    /// A field of a partial update: left out = keep, <c>null</c> = remove, a value = set. Binding already checked the
    /// value's kind; only the JSON tree tells "left out" from "null", which a bound record cannot.
    /// </summary>
    public static Patch<int> Patch(JsonObject parent, string name, int? value) =>
        !parent.ContainsKey(name) ? Patch<int>.Keep : value is { } v ? v : Patch<int>.Remove;

    /// <inheritdoc cref="Patch(JsonObject, string, int?)"/>
    public static Patch<string> Patch(JsonObject parent, string name, string? value) =>
        !parent.ContainsKey(name) ? Patch<string>.Keep : value is { } v ? v : Patch<string>.Remove;

    /// <summary>An object of a partial update: left out = keep, <c>null</c> = remove, an object = patch it with <paramref name="read"/>.</summary>
    public static Patch<TSettings> Patch<TRequest, TSettings>(JsonObject parent, string name, TRequest? value, Func<TRequest, JsonObject, TSettings> read)
        where TRequest : class =>
        !parent.TryGetPropertyValue(name, out var node) ? Patch<TSettings>.Keep
        : value is null || node is not JsonObject tree ? Patch<TSettings>.Remove
        : read(value, tree);

    public T? Enum<T>(string text, string path)
        where T : struct, System.Enum
    {
        if (System.Enum.TryParse<T>(text, ignoreCase: true, out var value) && !int.TryParse(text, out _))
        {
            return value;
        }
        Fail(path, $"must be one of {string.Join(", ", System.Enum.GetNames<T>().Select(n => char.ToLowerInvariant(n[0]) + n[1..]))}");
        return null;
    }

    public IReadOnlyList<RoutingRule> Rules(IReadOnlyList<RuleRequest?> rules)
    {
        var result = new List<RoutingRule>();
        for (var i = 0; i < rules.Count; i++)
        {
            var path = $"rules[{i}]";
            if (rules[i] is not { } rule)
            {
                Fail(path, "must be an object");
                continue;
            }
            var orConditions = new List<IReadOnlyList<MatchCondition>>();
            var sets = rule.OrConditions ?? [];
            for (var j = 0; j < sets.Count; j++)
            {
                if (sets[j] is { } set)
                {
                    orConditions.Add(Conditions(set, $"{path}.orConditions[{j}]"));
                }
                else
                {
                    Fail($"{path}.orConditions[{j}]", "must be an array of conditions");
                }
            }
            result.Add(new RoutingRule(rule.Name, Conditions(rule.Conditions, $"{path}.conditions"), rule.Targets)
            {
                OrConditions = orConditions,
                Origin = rule.Origin is { } origin ? new RuleOrigin(origin.Index, origin.Fingerprint) : null,
            });
        }
        return result;
    }

    private List<MatchCondition> Conditions(IReadOnlyList<ConditionRequest?> conditions, string path)
    {
        var result = new List<MatchCondition>();
        for (var j = 0; j < conditions.Count; j++)
        {
            var conditionPath = $"{path}[{j}]";
            if (conditions[j] is not { } condition)
            {
                Fail(conditionPath, "must be an object");
                continue;
            }
            var kind = Enum<ConditionKind>(condition.Kind, $"{conditionPath}.kind") ?? ConditionKind.Header;
            var match = Enum<MatchKind>(condition.Match, $"{conditionPath}.match") ?? MatchKind.Exact;
            result.Add(new MatchCondition(kind, condition.Name, match, condition.Value));
        }
        return result;
    }
}
