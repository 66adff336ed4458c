using System.Collections.Immutable;
using System.Text.RegularExpressions;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Istio;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Mesh.Operations;

namespace MeshDashboard.Model;

/// <summary>One condition row: kind (header, uri, ...), how it matches, the header/parameter name and the value.</summary>
public sealed record ConditionDraft(ConditionKind Kind, MatchKind Match, string Name, string Value)
{
    public bool IsNamed => Kind is ConditionKind.Header or ConditionKind.WithoutHeader or ConditionKind.QueryParam;

    public static ConditionDraft NewHeader() => new(ConditionKind.Header, MatchKind.Exact, "", "");
}

/// <summary>A subset a rule sends traffic to, with its weight.</summary>
public sealed record TargetDraft(string Subset, int Weight);

/// <summary>
/// One rule of the routing editor: requests meeting ALL conditions of the first set — or of any one of the
/// <see cref="OrConditions"/> sets — go to the targets.
/// </summary>
public sealed record RuleDraft(string Name, ImmutableArray<ConditionDraft> Conditions, ImmutableArray<TargetDraft> Targets)
{
    /// <summary>Condition sets ORed with <see cref="Conditions"/>; one Istio match entry each.</summary>
    public ImmutableArray<ImmutableArray<ConditionDraft>> OrConditions { get; init; } = [];

    /// <summary>The rule of the VirtualService this draft was read from; null for a rule added in the editor.</summary>
    public RuleOrigin? Origin { get; init; }

    /// <summary>Every condition set in match order; set 0 is <see cref="Conditions"/>.</summary>
    public ImmutableArray<ImmutableArray<ConditionDraft>> ConditionSets => OrConditions.Insert(0, Conditions);

    public RuleDraft WithSet(int set, ImmutableArray<ConditionDraft> conditions) =>
        set == 0 ? this with { Conditions = conditions } : this with { OrConditions = OrConditions.SetItem(set - 1, conditions) };

    /// <summary>The field name errors use for a condition set, as the operation names it.</summary>
    public static string SetField(int rule, int set) => set == 0 ? $"rules[{rule}].conditions" : $"rules[{rule}].orConditions[{set - 1}]";
}

/// <summary>
/// The dark-launch rule editor: ordered rules (first match wins), each with ANDed conditions and target subsets,
/// and the fallback for everyone else. Validation is <see cref="SetRoutingRules.Check"/> itself, so mistakes show
/// while typing in the words preview would use.
/// </summary>
public sealed partial record RuleEditorModel
{
    public required ImmutableArray<string> Subsets { get; init; }

    public required ImmutableArray<RuleDraft> Rules { get; init; }

    public required ImmutableArray<TargetDraft> Fallback { get; init; }

    public string FallbackName { get; init; } = "default";

    /// <summary>Notes about rules read from the cluster that the editor could not show one to one.</summary>
    public ImmutableArray<string> Notes { get; init; } = [];

    public static RuleEditorModel From(MeshService service)
    {
        var subsets = service.Subsets.Select(s => s.Name).Distinct().ToImmutableArray();
        var route = service.MeshRoute;
        var rules = ImmutableArray.CreateBuilder<RuleDraft>();
        var notes = ImmutableArray.CreateBuilder<string>();
        var catchAll = route?.Rules.FirstOrDefault(r => r.IsCatchAll);
        foreach (var rule in route?.Rules ?? [])
        {
            if (rule.IsCatchAll)
            {
                break;
            }
            if (rule.HasRedirect || rule.HasDirectResponse || rule.HasDelegate || rule.Matches.Any(m => m.HasConditionsBeyondTheEditor))
            {
                notes.Add($"{rule.Label} uses conditions or actions this editor does not model; it is kept as it is.");
                continue;
            }
            var name = string.IsNullOrEmpty(rule.Name) ? $"rule-{rule.Index + 1}" : rule.Name;
            if (string.IsNullOrEmpty(rule.Name))
            {
                notes.Add($"{rule.Label} has no name; applying names it \"{name}\" (its other fields, such as retries, are kept).");
            }
            rules.Add(new RuleDraft(name, Conditions(rule.Matches[0]), Targets(rule))
            {
                OrConditions = [.. rule.Matches.Skip(1).Select(Conditions)],
                Origin = new RuleOrigin(rule.Index, rule.Fingerprint),
            });
        }
        var fallback = catchAll is null
            ? [new TargetDraft(subsets.FirstOrDefault() ?? "", 100)]
            : Targets(catchAll);
        return new RuleEditorModel
        {
            Subsets = subsets,
            Rules = rules.ToImmutable(),
            Fallback = fallback,
            FallbackName = catchAll?.Name ?? "default",
            Notes = notes.ToImmutable(),
        };
    }

    private static ImmutableArray<TargetDraft> Targets(HttpRouteView rule)
    {
        var percentages = rule.EffectivePercentages;
        var subsets = rule.Destinations.Select(d => d.Subset ?? "").ToList();
        var exact = new Dictionary<string, double>();
        for (var i = 0; i < subsets.Count; i++)
        {
            exact[subsets[i]] = exact.GetValueOrDefault(subsets[i]) + percentages[i];
        }
        var keys = subsets.Distinct().ToList();
        var rounded = Percentages.Round(keys, exact);
        return [.. keys.Select(k => new TargetDraft(k, rounded[k])).Where(t => t.Weight > 0 || keys.Count == 1)];
    }

    private static ImmutableArray<ConditionDraft> Conditions(MatchView match)
    {
        var list = new List<ConditionDraft>();
        list.AddRange(match.Headers.Select(h => new ConditionDraft(ConditionKind.Header, h.Match.Kind, h.Name, h.Match.Value)));
        list.AddRange(match.WithoutHeaders.Select(h => new ConditionDraft(ConditionKind.WithoutHeader, h.Match.Kind, h.Name, h.Match.Value)));
        list.AddRange(match.QueryParams.Select(q => new ConditionDraft(ConditionKind.QueryParam, q.Match.Kind, q.Name, q.Match.Value)));
        if (match.Uri is { } uri)
        {
            list.Add(new ConditionDraft(ConditionKind.Uri, uri.Kind, "", uri.Value));
        }
        if (match.Method is { } method)
        {
            list.Add(new ConditionDraft(ConditionKind.Method, method.Kind, "", method.Value));
        }
        return [.. list];
    }

    // Editing: each returns a new model.

    public RuleEditorModel AddRule()
    {
        var n = Rules.Length + 1;
        while (Rules.Any(r => r.Name == $"rule-{n}"))
        {
            n++;
        }
        var target = Subsets.Length > 1 ? Subsets[^1] : Subsets.FirstOrDefault() ?? "";
        return this with { Rules = Rules.Add(new RuleDraft($"rule-{n}", [ConditionDraft.NewHeader()], [new TargetDraft(target, 100)])) };
    }

    public RuleEditorModel RemoveRule(int index) => this with { Rules = Rules.RemoveAt(index) };

    /// <summary>Moves a rule up (-1) or down (+1); order matters because the first matching rule wins.</summary>
    public RuleEditorModel MoveRule(int index, int delta)
    {
        var to = index + delta;
        if (to < 0 || to >= Rules.Length)
        {
            return this;
        }
        var rule = Rules[index];
        return this with { Rules = Rules.RemoveAt(index).Insert(to, rule) };
    }

    public RuleEditorModel WithRule(int index, RuleDraft rule) => this with { Rules = Rules.SetItem(index, rule) };

    public RuleEditorModel Rename(int index, string name) => WithRule(index, Rules[index] with { Name = name.Trim() });

    /// <summary>Adds a condition (ANDed) to condition set <paramref name="set"/> of the rule; set 0 is the first.</summary>
    public RuleEditorModel AddCondition(int rule, int set = 0) =>
        WithRule(rule, Rules[rule].WithSet(set, Rules[rule].ConditionSets[set].Add(ConditionDraft.NewHeader())));

    public RuleEditorModel RemoveCondition(int rule, int condition, int set = 0) =>
        WithRule(rule, Rules[rule].WithSet(set, Rules[rule].ConditionSets[set].RemoveAt(condition)));

    public RuleEditorModel WithCondition(int rule, int condition, ConditionDraft draft, int set = 0) =>
        WithRule(rule, Rules[rule].WithSet(set, Rules[rule].ConditionSets[set].SetItem(condition, draft)));

    /// <summary>Adds a condition set ORed with the rule's others: the rule then also applies to requests meeting it.</summary>
    public RuleEditorModel AddOrSet(int rule) =>
        WithRule(rule, Rules[rule] with { OrConditions = Rules[rule].OrConditions.Add([ConditionDraft.NewHeader()]) });

    /// <summary>Removes an ORed condition set (<paramref name="set"/> ≥ 1; the first set stays).</summary>
    public RuleEditorModel RemoveOrSet(int rule, int set) =>
        set < 1 ? this : WithRule(rule, Rules[rule] with { OrConditions = Rules[rule].OrConditions.RemoveAt(set - 1) });

    /// <summary>Sends all of the rule's traffic to one subset.</summary>
    public RuleEditorModel Target(int rule, string subset) => WithRule(rule, Rules[rule] with { Targets = [new TargetDraft(subset, 100)] });

    /// <summary>Adds a subset to the rule's targets and splits evenly.</summary>
    public RuleEditorModel AddTarget(int rule, string subset)
    {
        var names = Rules[rule].Targets.Select(t => t.Subset).Append(subset).Distinct().ToList();
        var even = Weights.Even(names);
        return WithRule(rule, Rules[rule] with { Targets = [.. names.Select(n => new TargetDraft(n, even[n]))] });
    }

    public RuleEditorModel TargetWeight(int rule, string subset, int weight) =>
        WithRule(rule, Rules[rule] with { Targets = [.. Rules[rule].Targets.Select(t => t.Subset == subset ? t with { Weight = weight } : t)] });

    public RuleEditorModel FallbackTo(string subset) => this with { Fallback = [new TargetDraft(subset, 100)] };

    /// <summary>
    /// Errors by field ("rules[0].name", "rules[1].conditions[0].value", "rules[0].targets", "fallback"); empty when
    /// valid. The operation's own checks, so what shows while typing is what preview would say.
    /// </summary>
    public ImmutableDictionary<string, string> Validate()
    {
        var errors = ImmutableDictionary.CreateBuilder<string, string>();
        foreach (var error in SetRoutingRules.Check(ToRules(), Weigh(Fallback), FallbackName, Subsets.ToHashSet()))
        {
            // A weight's error names its subset ("rules[0].targets.v2"); the form shows it at the rule's targets.
            errors.TryAdd(TargetsField().Replace(error.Field, "$1"), error.Message);
        }
        return errors.ToImmutable();
    }

    [GeneratedRegex(@"^((?:rules\[\d+\]\.)?(?:targets|fallback))\..+$")]
    private static partial Regex TargetsField();

    public bool IsValid => Validate().IsEmpty;

    /// <summary>The operation: one rule per draft, each condition set one match entry (ANDed within, ORed across).</summary>
    public SetRoutingRules ToOperation(ObjectRef service) => new(service, ToRules(), Weigh(Fallback));

    private List<RoutingRule> ToRules() =>
    [
        .. Rules.Select(r => new RoutingRule(r.Name, ToConditions(r.Conditions), Weigh(r.Targets))
        {
            OrConditions = [.. r.OrConditions.Select(ToConditions)],
            Origin = r.Origin,
        }),
    ];

    private static IReadOnlyList<MatchCondition> ToConditions(ImmutableArray<ConditionDraft> set) =>
        [.. set.Select(c => new MatchCondition(c.Kind, c.IsNamed ? c.Name : null, c.Match, c.Match == MatchKind.Present ? "" : c.Value))];

    private static Dictionary<string, int> Weigh(ImmutableArray<TargetDraft> targets)
    {
        var result = new Dictionary<string, int>();
        foreach (var target in targets)
        {
            result[target.Subset] = targets.Length == 1 ? 100 : target.Weight;
        }
        return result;
    }
}
