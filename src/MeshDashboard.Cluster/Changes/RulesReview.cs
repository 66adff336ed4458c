using System.Collections.Immutable;
using k8s.Models;

namespace MeshDashboard.Cluster.Changes;

/// <summary>One rule of a SelfSubjectRulesReview's answer: verbs on resources of API groups, optionally only some names.</summary>
public sealed record ResourceRule(ImmutableArray<string> Verbs, ImmutableArray<string> ApiGroups, ImmutableArray<string> Resources, ImmutableArray<string> ResourceNames);

/// <summary>
/// What a SelfSubjectRulesReview said a person may do in one namespace, judged here as Kubernetes RBAC judges a request
/// against a rule (kubernetes/kubernetes plugin/pkg/auth/authorizer/rbac/rbac.go, RuleAllows; the matchers in
/// pkg/apis/rbac/v1/evaluation_helpers.go): the verb, the API group and the resource each match exactly or by
/// <c>*</c>; a rule with resource names covers only those names, and never a create (whose name is not known when it is
/// authorized), while one without covers every name. Rules only grant, so a rule that allows is enough even when the list
/// is incomplete; what no rule allows is refused only when the list is complete (<see cref="IsComplete"/>).
/// </summary>
public sealed record RulesReview(ImmutableArray<ResourceRule> Rules, bool Incomplete, string? EvaluationError)
{
    private const string All = "*";

    /// <summary>
    /// Whether the rules are all there are: not marked incomplete (an authorizer that cannot list rules, such as a webhook),
    /// and no evaluation error (which, per the API's documentation of <c>evaluationError</c>, may also leave rules out).
    /// </summary>
    public bool IsComplete => !Incomplete && string.IsNullOrEmpty(EvaluationError);

    /// <summary>Whether some rule allows <paramref name="verb"/> on the object (an empty name: a request not about one object).</summary>
    public bool Allows(string verb, string group, string resource, string name) =>
        Rules.Any(rule => Matches(rule.Verbs, verb) && Matches(rule.ApiGroups, group) && Matches(rule.Resources, resource) && NameMatches(rule.ResourceNames, name));

    private static bool Matches(ImmutableArray<string> allowed, string requested) =>
        allowed.Any(a => a == All || a == requested);

    // RBAC's ResourceNameMatches: no names means every name. "*" among them counts as every name too, as the
    // SelfSubjectRulesReview API documents for ResourceRule.resourceNames (authorizers other than RBAC may answer so).
    private static bool NameMatches(ImmutableArray<string> names, string requested) =>
        names.IsDefaultOrEmpty || names.Any(n => n == All || (requested.Length > 0 && n == requested));

    /// <summary>The review as the API answered it.</summary>
    public static RulesReview From(V1SubjectRulesReviewStatus? status) => new(
        [.. (status?.ResourceRules ?? []).Select(r => new ResourceRule(
            [.. r.Verbs ?? []], [.. r.ApiGroups ?? []], [.. r.Resources ?? []], [.. r.ResourceNames ?? []]))],
        status?.Incomplete ?? true,
        status?.EvaluationError);
}
