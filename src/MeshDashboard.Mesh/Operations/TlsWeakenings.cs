using System.Collections.Immutable;
using System.Text.Json.Nodes;
using MeshDashboard.Mesh.Kubernetes;

namespace MeshDashboard.Mesh.Operations;

/// <summary>One place where a planned change makes the TLS that Envoy uses weaker.</summary>
public sealed record TlsWeakening(ObjectRef DestinationRule, string Scope, string? Before, string? After)
{
    public override string ToString() =>
        $"DestinationRule {DestinationRule.Namespace}/{DestinationRule.Name}, {Scope}: tls.mode {Before ?? "(none)"} → {After ?? "(none)"}";
}

/// <summary>
/// Finds the TLS that a planned change weakens, judged on the effect (live objects → desired objects), whatever the
/// request that produced the plan: an explicit mode, a field left out, a rollback or a restore all count the same.
/// For every subset (and the service as a whole) and every port a DestinationRule names, the effective mode is the one
/// Envoy gets: the subset's port-level setting, else the subset's policy, else the rule's port-level setting, else the
/// rule's policy (istiod merges subset policies over the top-level one field by field). A mode is weakened when:
/// mutual TLS (ISTIO_MUTUAL, MUTUAL) becomes anything else; SIMPLE becomes DISABLE or no mode; no mode (where
/// auto mTLS may apply) becomes DISABLE or SIMPLE. Removing a DestinationRule removes its modes.
/// </summary>
public static class TlsWeakenings
{
    public static ImmutableArray<TlsWeakening> In(IEnumerable<ObjectChange> changes) =>
        [.. changes.Where(c => c.Target.Kind == ResourceKind.DestinationRule).SelectMany(Of)];

    public static IEnumerable<TlsWeakening> Of(ObjectChange change)
    {
        var before = change.Before?.Raw["spec"] as JsonObject;
        var after = change.After?["spec"] as JsonObject;
        var afterSubsets = SubsetNames(after);
        // A subset that no longer exists takes no traffic; its policy is gone with it, not weakened.
        var subsets = new[] { (string?)null }
            .Concat(SubsetNames(before).Concat(afterSubsets).Distinct(StringComparer.Ordinal)
                .Where(s => after is null || afterSubsets.Contains(s)).Select(s => (string?)s));
        var ports = new[] { (long?)null }.Concat(PortNumbers(before).Concat(PortNumbers(after)).Distinct().Select(p => (long?)p)).ToList();
        foreach (var subset in subsets)
        {
            foreach (var port in ports)
            {
                var was = EffectiveMode(before, subset, port);
                var will = EffectiveMode(after, subset, port);
                if (Weakens(was, will))
                {
                    var scope = (subset, port) switch
                    {
                        (null, null) => "all subsets",
                        (null, { } p) => $"port {p}",
                        ({ } s, null) => $"subset {s}",
                        ({ } s, { } p) => $"subset {s}, port {p}",
                    };
                    yield return new TlsWeakening(change.Target, scope, was, will);
                }
            }
        }
    }

    public static bool Weakens(string? before, string? after)
    {
        if (string.Equals(before, after, StringComparison.Ordinal))
        {
            return false;
        }
        return after switch
        {
            "ISTIO_MUTUAL" or "MUTUAL" => false,
            "DISABLE" => true,
            null => before is not "DISABLE",
            // SIMPLE, or a mode this table does not know, is weaker than mutual TLS and than auto mTLS.
            _ => before is null or "ISTIO_MUTUAL" or "MUTUAL",
        };
    }

    private static string? EffectiveMode(JsonObject? spec, string? subset, long? port)
    {
        if (spec is null)
        {
            return null;
        }
        var subsetPolicy = subset is null ? null : (spec.Arr("subsets") ?? []).OfType<JsonObject>().FirstOrDefault(s => s.Str("name") == subset)?.Obj("trafficPolicy");
        return PortMode(subsetPolicy, port) ?? subsetPolicy.Obj("tls").Str("mode")
            ?? PortMode(spec.Obj("trafficPolicy"), port) ?? spec.Obj("trafficPolicy").Obj("tls").Str("mode");
    }

    private static string? PortMode(JsonObject? policy, long? port) =>
        port is null ? null : (policy.Arr("portLevelSettings") ?? []).OfType<JsonObject>().FirstOrDefault(p => p.Obj("port").Int("number") == port)?.Obj("tls").Str("mode");

    private static HashSet<string> SubsetNames(JsonObject? spec) =>
        [.. (spec.Arr("subsets") ?? []).OfType<JsonObject>().Select(s => s.Str("name")).OfType<string>()];

    private static IEnumerable<long> PortNumbers(JsonObject? spec) =>
        new[] { spec.Obj("trafficPolicy") }
            .Concat((spec.Arr("subsets") ?? []).OfType<JsonObject>().Select(s => s.Obj("trafficPolicy")))
            .SelectMany(p => p.Arr("portLevelSettings") ?? [])
            .Select(p => p.Obj("port").Int("number"))
            .OfType<long>();
}
