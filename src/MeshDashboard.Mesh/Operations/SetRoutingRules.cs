using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Istio;
using MeshDashboard.Mesh.Kubernetes;

namespace MeshDashboard.Mesh.Operations;

public enum ConditionKind
{
    Header,
    Uri,
    Method,
    QueryParam,
    WithoutHeader,
}

/// <summary>One condition of a rule. <paramref name="Name"/> is the header or query parameter name (unused for uri and method).</summary>
public sealed record MatchCondition(ConditionKind Kind, string? Name, MatchKind Match, string Value);

/// <summary>
/// A named rule: requests meeting ALL its conditions go to <paramref name="Targets"/> (subset → weight).
/// </summary>
public sealed record RoutingRule(string Name, IReadOnlyList<MatchCondition> Conditions, IReadOnlyDictionary<string, int> Targets)
{
    /// <summary>
    /// Further condition sets ORed with <see cref="Conditions"/>: the rule also applies to requests meeting all
    /// conditions of any one of them. Each set is one entry of the rule's <c>match</c> list, as Istio reads it.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<MatchCondition>> OrConditions { get; init; } = [];

    /// <summary>
    /// The existing rule this one was edited from, when known (the editor knows it; API callers give it or use names). It keeps
    /// that rule's other fields even when the rule had no name or was renamed.
    /// </summary>
    public RuleOrigin? Origin { get; init; }

    /// <summary>Every condition set of the rule, in match order: <see cref="Conditions"/> first.</summary>
    public IEnumerable<IReadOnlyList<MatchCondition>> ConditionSets => OrConditions.Prepend(Conditions);
}

/// <summary>The rule at <paramref name="Index"/> of <c>spec.http</c>, as it was when read (<see cref="HttpRouteView.Fingerprint"/>).</summary>
public sealed record RuleOrigin(int Index, string Fingerprint);

/// <summary>
/// Rewrites the conditional rules of the service's mesh VirtualService, then the catch-all with <paramref name="Fallback"/>.
/// </summary>
/// <remarks>
/// All conditions of one set go into one <c>match</c> entry, so they are ANDed; a rule's sets are its match entries,
/// so they are ORed (see <see cref="RoutingRule.OrConditions"/>).
/// How existing rules are treated:
/// <list type="bullet">
/// <item>A rule a new rule was edited from (<see cref="RoutingRule.Origin"/>, else the same name) is rewritten in place
/// of the new list: its name is set, its match entries and route are edited in place (see Entry and
/// Weights.Destinations: unchanged conditions and destinations stay as written, unmodelled match conditions stay);
/// every other field (retries, timeout, fault, corsPolicy, headers, mirror, ...) is kept. An origin that no longer
/// holds that rule is refused as a conflict (<see cref="OperationException.IsConflict"/>): it changed meanwhile. An
/// origin at the catch-all or after it is refused: the fallback sets the catch-all.</item>
/// <item>A rule this editor models (it routes, and its matches use only headers, withoutHeaders, uri, method and
/// queryParams) whose name is not in the list was removed by the person and is dropped.</item>
/// <item>Every other rule (redirect, directResponse, delegate, other match conditions such as sourceLabels or
/// port) is kept: those before the first managed rule stay before the new rules, the rest stay between the new rules
/// and the fallback, in their order.</item>
/// <item>The catch-all (first rule without match) becomes the fallback, keeping its other fields; rules after it
/// (unreachable) are kept after it. Without a catch-all a rule named "default" is appended.</item>
/// </list>
/// </remarks>
public sealed partial record SetRoutingRules(ObjectRef Service, IReadOnlyList<RoutingRule> Rules, IReadOnlyDictionary<string, int> Fallback) : ITrafficOperation
{
    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex DnsLabel();

    private static readonly HashSet<string> ModeledMatchKeys = ["headers", "withoutHeaders", "uri", "method", "queryParams", "name"];

    public ChangePlan Plan(MeshSnapshot snapshot)
    {
        var context = ServiceContext.For(snapshot, Service);
        var vs = context.MeshVirtualService;
        var existing = (vs?.Source.Spec.Arr("http") ?? []).Select(r => r as JsonObject ?? []).ToList();
        var catchAll = existing.FindIndex(r => DefaultRoute.IsCatchAll(r));
        var fallbackName = catchAll >= 0 ? existing[catchAll].Str("name") ?? DefaultRoute.DefaultRuleName : DefaultRoute.DefaultRuleName;

        var errors = new List<FieldError>();
        errors.AddRange(Check(Rules, Fallback, fallbackName, context.DefinedSubsets));
        ServiceContext.ThrowIfAny(errors);

        var ns = vs?.Namespace ?? context.Namespace;
        var names = Rules.Select(r => r.Name).ToHashSet();
        var stale = new List<FieldError>();
        var previousRules = Rules.Select((rule, r) => Previous(rule, r, existing, catchAll, errors, stale)).ToList();
        ServiceContext.ThrowIfAny(errors);
        if (stale.Count > 0)
        {
            throw new OperationException(stale) { IsConflict = true };
        }
        var newRules = Rules.Select((rule, r) => Write(rule, previousRules[r], context, ns, vs?.Source.Spec)).ToList();
        var origins = Rules.Where(r => r.Origin is not null).Select(r => r.Origin!.Index).ToHashSet();

        var before = new List<JsonObject>();
        var between = new List<JsonObject>();
        var seenManaged = false;
        var reachableEnd = catchAll >= 0 ? catchAll : existing.Count;
        for (var i = 0; i < reachableEnd; i++)
        {
            var rule = existing[i];
            var managed = origins.Contains(i) || names.Contains(rule.Str("name") ?? "") || IsModeled(rule);
            if (managed)
            {
                seenManaged = true;
                continue;
            }
            (seenManaged ? between : before).Add((JsonObject)rule.DeepClone());
        }

        var fallback = catchAll >= 0 ? (JsonObject)existing[catchAll].DeepClone() : new JsonObject { ["name"] = DefaultRoute.DefaultRuleName };
        fallback.Remove("redirect");
        fallback.Remove("directResponse");
        fallback.Remove("delegate");
        fallback["route"] = Weights.Destinations(Fallback, fallback.Arr("route"), context, ns,
            context.HostSpelling(ns, [fallback.Arr("route"), .. ServiceContext.RoutesOf(vs?.Source.Spec)]));
        var after = catchAll >= 0 ? existing.Skip(catchAll + 1).Where(r => !names.Contains(r.Str("name") ?? "")).Select(r => (JsonObject)r.DeepClone()) : [];

        var http = new JsonArray([.. before, .. newRules, .. between, fallback, .. after]);
        var summary = $"{context.Name}: {string.Concat(Rules.Select(r => $"{r.Name} → {Weights.Describe(r.Targets)}; "))}everyone else → {Weights.Describe(Fallback)}";

        if (vs is null)
        {
            if (snapshot.Find(ResourceKind.VirtualService, context.Namespace, context.Name) is not null)
            {
                throw new OperationException([new FieldError("service", $"no mesh VirtualService routes {context.Name}, and the name {context.Name} is taken by another VirtualService")]);
            }
            var created = ServiceContext.NewObject(ResourceKind.VirtualService, context.Namespace, context.Name,
                new JsonObject { ["hosts"] = new JsonArray(context.Name), ["http"] = http });
            return ServiceContext.Build(summary, [new ObjectChange(new ObjectRef(ResourceKind.VirtualService, context.Namespace, context.Name), null, created)]);
        }
        var raw = vs.Source.CloneRaw();
        raw.GetOrAddObject("spec")["http"] = http;
        return ServiceContext.Build(summary, [new ObjectChange(vs.Source.Ref, vs.Source, raw)]);
    }

    /// <summary>
    /// The existing rule <paramref name="rule"/> replaces: its origin, checked to be unchanged, else the rule of the same
    /// name. An origin that no longer holds that rule goes to <paramref name="stale"/> (a conflict: reload and retry); one
    /// that can never be edited as a rule (negative, the catch-all or after it, edited twice) goes to <paramref name="errors"/>.
    /// </summary>
    private JsonObject? Previous(RoutingRule rule, int r, List<JsonObject> existing, int catchAll, List<FieldError> errors, List<FieldError> stale)
    {
        if (rule.Origin is { } origin)
        {
            var field = $"rules[{r}].origin";
            var firstUse = Rules.Select(x => x.Origin?.Index).ToList().IndexOf(origin.Index);
            if (origin.Index < 0)
            {
                errors.Add(new FieldError(field + ".index", "must be 0 or more: the position of the rule in spec.http"));
            }
            else if (firstUse != r)
            {
                errors.Add(new FieldError(field, $"rule {origin.Index + 1} of the VirtualService is already edited by rules[{firstUse}]"));
            }
            else if (origin.Index < existing.Count && HttpRouteView.FingerprintOf(existing[origin.Index]) != origin.Fingerprint)
            {
                stale.Add(new FieldError(field, $"rule {origin.Index + 1} of the VirtualService changed since it was read; reload and apply again"));
            }
            else if (origin.Index >= existing.Count)
            {
                stale.Add(new FieldError(field, $"the VirtualService has no rule {origin.Index + 1} any more (it has {existing.Count}); reload and apply again"));
            }
            else if (catchAll >= 0 && origin.Index >= catchAll)
            {
                errors.Add(new FieldError(field, origin.Index == catchAll
                    ? $"rule {origin.Index + 1} is the catch-all; set it with fallback"
                    : $"rule {origin.Index + 1} comes after the catch-all, where no request reaches it"));
            }
            else
            {
                return existing[origin.Index];
            }
            return null;
        }
        return existing.FirstOrDefault(e => e.Str("name") == rule.Name && !DefaultRoute.IsCatchAll(e));
    }

    /// <summary>A rule this editor shows and rewrites: it routes, and every match entry uses only the conditions we model.</summary>
    private static bool IsModeled(JsonObject rule) =>
        !DefaultRoute.IsCatchAll(rule)
        && rule["redirect"] is null && rule["directResponse"] is null && rule["delegate"] is null
        && rule.Arr("match")!.All(m => m is JsonObject entry && entry.All(p => ModeledMatchKeys.Contains(p.Key)));

    /// <summary>
    /// Every rule of input the operation checks before planning: names, conditions, targets and fallback against the
    /// subsets the service's DestinationRules define. Also what the rule editor shows while the person types.
    /// </summary>
    public static IReadOnlyList<FieldError> Check(IReadOnlyList<RoutingRule> rules, IReadOnlyDictionary<string, int> fallback, string fallbackName, IReadOnlySet<string> defined)
    {
        var errors = new List<FieldError>();
        var seen = new HashSet<string>();
        for (var r = 0; r < rules.Count; r++)
        {
            var rule = rules[r];
            var field = $"rules[{r}]";
            if (string.IsNullOrWhiteSpace(rule.Name))
            {
                errors.Add(new FieldError(field + ".name", "a rule needs a name"));
            }
            else if (rule.Name.Length > 63 || !DnsLabel().IsMatch(rule.Name))
            {
                errors.Add(new FieldError(field + ".name", $"\"{rule.Name}\" is not a valid rule name (lowercase letters, digits and '-', at most 63, starting and ending with a letter or digit)"));
            }
            else if (!seen.Add(rule.Name))
            {
                errors.Add(new FieldError(field + ".name", $"the name \"{rule.Name}\" is used by more than one rule"));
            }
            else if (rule.Name == fallbackName)
            {
                errors.Add(new FieldError(field + ".name", $"the name \"{rule.Name}\" belongs to the fallback rule"));
            }

            if (rule.Conditions.Count == 0)
            {
                errors.Add(new FieldError(field + ".conditions", "a rule needs at least one condition; requests without conditions go to the fallback"));
            }
            ValidateConditionSet(rule.Conditions, field + ".conditions", errors);
            for (var o = 0; o < rule.OrConditions.Count; o++)
            {
                var set = $"{field}.orConditions[{o}]";
                if (rule.OrConditions[o].Count == 0)
                {
                    errors.Add(new FieldError(set, "an OR condition set needs at least one condition; an empty set would match every request"));
                }
                ValidateConditionSet(rule.OrConditions[o], set, errors);
            }
            Weights.Validate(rule.Targets, field + ".targets", defined, errors);
        }
        Weights.Validate(fallback, "fallback", defined, errors);
        return errors;
    }

    private static void ValidateConditionSet(IReadOnlyList<MatchCondition> conditions, string field, List<FieldError> errors)
    {
        var keys = new HashSet<string>();
        for (var c = 0; c < conditions.Count; c++)
        {
            ValidateCondition(conditions[c], $"{field}[{c}]", keys, errors);
        }
    }

    private static void ValidateCondition(MatchCondition condition, string field, HashSet<string> keys, List<FieldError> errors)
    {
        var named = condition.Kind is ConditionKind.Header or ConditionKind.WithoutHeader or ConditionKind.QueryParam;
        if (named)
        {
            if (string.IsNullOrEmpty(condition.Name))
            {
                errors.Add(new FieldError(field + ".name", condition.Kind == ConditionKind.QueryParam ? "a query parameter name is required" : "a header name is required"));
            }
            else if (condition.Kind != ConditionKind.QueryParam && !HttpHeaders.IsMatchName(condition.Name))
            {
                errors.Add(new FieldError(field + ".name", $"\"{condition.Name}\" is not a valid header name (letters, digits and !#$%&'*+-.^_`|~ only)"));
            }
        }
        var key = named ? $"{condition.Kind}:{condition.Name}" : condition.Kind.ToString();
        if (!keys.Add(key))
        {
            errors.Add(new FieldError(field, named
                ? $"{Subject(condition)} is already tested in this rule; one match entry holds each name once"
                : $"a rule can test {Subject(condition)} only once"));
        }
        if (condition.Match == MatchKind.Present)
        {
            if (condition.Kind is not (ConditionKind.Header or ConditionKind.WithoutHeader))
            {
                errors.Add(new FieldError(field + ".match", $"\"present\" applies only to headers, not to {Subject(condition)}"));
            }
            return;
        }
        if (string.IsNullOrEmpty(condition.Value))
        {
            errors.Add(new FieldError(field + ".value", $"{Subject(condition)} needs a value to match"));
        }
        else if (condition.Match == MatchKind.Regex && !IsWithoutHeaderWildcard(condition) && Re2.Check(condition.Value) is { } problem)
        {
            errors.Add(new FieldError(field + ".value", problem));
        }
        else if (condition.Kind is ConditionKind.Header or ConditionKind.WithoutHeader && HttpHeaders.ControlCharacterIn(condition.Value) is { } control)
        {
            errors.Add(new FieldError(field + ".value", $"a header value cannot contain the control character U+{(int)control:X4}; no request carries it"));
        }
    }

    /// <summary>
    /// istiod reads a <c>withoutHeaders</c> regex of exactly <c>*</c> as "the header is present", not as RE2
    /// (istio/istio pkg/config/validation/virtualservice.go, <c>validateHTTPRouteMatchRequest</c>), so it is valid there.
    /// </summary>
    private static bool IsWithoutHeaderWildcard(MatchCondition condition) => condition.Kind == ConditionKind.WithoutHeader && condition.Value == "*";

    private static string Subject(MatchCondition condition) => condition.Kind switch
    {
        ConditionKind.Header => $"header {condition.Name}",
        ConditionKind.WithoutHeader => $"header {condition.Name}",
        ConditionKind.QueryParam => $"query parameter {condition.Name}",
        ConditionKind.Uri => "the uri",
        _ => "the method",
    };

    private static JsonObject Write(RoutingRule rule, JsonObject? previous, ServiceContext context, string ns, JsonObject? spec)
    {
        var result = previous is null ? [] : (JsonObject)previous.DeepClone();
        result["name"] = rule.Name;
        result.Remove("redirect");
        result.Remove("directResponse");
        result.Remove("delegate");

        // One match entry per condition set: conditions ANDed within it, entries ORed. The entry at the same position
        // is edited in place (see Entry), so what did not change keeps its spelling and order.
        var previousEntries = previous.Arr("match") ?? [];
        var entries = rule.ConditionSets.Select((set, i) => (JsonNode)Entry(set, previousEntries.ElementAtOrDefault(i) as JsonObject));
        result["match"] = new JsonArray([.. entries]);
        result["route"] = Weights.Destinations(rule.Targets, previous.Arr("route"), context, ns,
            context.HostSpelling(ns, [previous.Arr("route"), .. ServiceContext.RoutesOf(spec)]));

        // Keep the key order of the previous rule; a new rule reads name, match, route.
        return previous is null ? new JsonObject { ["name"] = rule.Name, ["match"] = result["match"]!.DeepClone(), ["route"] = result["route"]!.DeepClone() } : result;
    }

    /// <summary>The match keys the editor writes; every other key of an entry (name, sourceLabels, port, authority, ...) is kept.</summary>
    private static readonly string[] EditedMatchKeys = ["headers", "withoutHeaders", "queryParams", "uri", "method"];

    /// <summary>
    /// One match entry for a condition set. A new entry holds just the conditions. An existing entry is edited in
    /// place: each condition the set does not have is removed, each one it has is written only where it differs, and
    /// keys the editor does not model (the entry's name, sourceLabels, port, authority, gateways, ...) stay, since the
    /// person could neither see nor remove them and dropping them would widen the rule.
    /// </summary>
    private static JsonObject Entry(IReadOnlyList<MatchCondition> conditions, JsonObject? previous)
    {
        var desired = new JsonObject();
        foreach (var condition in conditions)
        {
            var match = new StringMatch(condition.Match, condition.Value).ToJson();
            switch (condition.Kind)
            {
                case ConditionKind.Header:
                    AddToMap(desired, "headers", condition.Name!, match);
                    break;
                case ConditionKind.WithoutHeader:
                    AddToMap(desired, "withoutHeaders", condition.Name!, match);
                    break;
                case ConditionKind.QueryParam:
                    AddToMap(desired, "queryParams", condition.Name!, match);
                    break;
                case ConditionKind.Uri:
                    desired["uri"] = match;
                    break;
                default:
                    desired["method"] = match;
                    break;
            }
        }
        if (previous is null)
        {
            return desired;
        }

        var entry = (JsonObject)previous.DeepClone();
        foreach (var key in EditedMatchKeys)
        {
            var want = desired[key];
            var have = entry[key];
            if (want is null)
            {
                entry.Remove(key);
            }
            else if (have is not null && JsonNode.DeepEquals(have, want))
            {
                // Same conditions: leave them exactly as written.
            }
            else if (want is JsonObject wantMap && have is JsonObject haveMap && key is "headers" or "withoutHeaders" or "queryParams")
            {
                foreach (var gone in haveMap.Select(p => p.Key).Where(k => wantMap[k] is null).ToList())
                {
                    haveMap.Remove(gone);
                }
                foreach (var (name, value) in wantMap)
                {
                    if (haveMap[name] is not { } old || !JsonNode.DeepEquals(old, value))
                    {
                        haveMap[name] = value!.DeepClone();
                    }
                }
            }
            else
            {
                entry[key] = want.DeepClone();
            }
        }
        return entry;
    }

    private static void AddToMap(JsonObject entry, string property, string name, JsonNode match)
    {
        if (entry[property] is not JsonObject map)
        {
            map = [];
            entry[property] = map;
        }
        map[name] = match;
    }
}
