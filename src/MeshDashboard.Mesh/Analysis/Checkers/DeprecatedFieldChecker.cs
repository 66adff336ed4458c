using System.Text.Json.Nodes;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Istio;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Mesh.Operations;

namespace MeshDashboard.Mesh.Analysis.Checkers;

/// <summary>
/// MD010 (info): a deprecated field our editors migrate. The message is <see cref="DeprecatedFields"/>' entry — what
/// istiod makes of the field and what keeps that meaning — so the hint and the migration never disagree (plain
/// "write consecutive5xxErrors" would change what <c>consecutiveErrors</c> does: it counts gateway errors only).
/// Looked at: <c>fault.delay.percent</c> on every rule; <c>outlierDetection.consecutiveErrors</c> and
/// <c>loadBalancer.simple: LEAST_CONN</c> in a DestinationRule's policy, its subsets' policies and their port-level settings.
/// </summary>
internal sealed class DeprecatedFieldChecker : IChecker
{
    private static readonly DeprecatedField ConsecutiveErrors = Entry("trafficPolicy.outlierDetection.consecutiveErrors");
    private static readonly DeprecatedField DelayPercent = Entry("fault.delay.percent");
    private static readonly DeprecatedField LeastConn = Entry("trafficPolicy.loadBalancer.simple: LEAST_CONN");

    public string Code => FindingCodes.DeprecatedField;

    public IEnumerable<Finding> Check(MeshSnapshot snapshot, MeshIndex index)
    {
        foreach (var http in HttpRule.All(index))
        {
            if (http.Raw.Obj("fault").Obj("delay")?["percent"] is { } percent)
            {
                yield return http.Finding(Code, FindingSeverity.Info,
                    $"uses the deprecated delay.percent ({percent.ToJsonString()}): {DelayPercent.Meaning}; write {DelayPercent.WrittenAs} instead.",
                    $"{http.Field}.fault.delay.percent");
            }
        }
        foreach (var dr in index.DestinationRules)
        {
            var spec = dr.Source.Spec;
            var findings = Policy(dr, spec.Obj("trafficPolicy"), "spec.trafficPolicy").ToList();
            var subsets = spec.Arr("subsets") ?? [];
            for (var i = 0; i < subsets.Count; i++)
            {
                findings.AddRange(Policy(dr, subsets[i].Obj("trafficPolicy"), $"spec.subsets[{i}].trafficPolicy"));
            }
            foreach (var finding in findings)
            {
                yield return finding;
            }
        }
    }

    private IEnumerable<Finding> Policy(DestinationRuleView dr, JsonObject? policy, string field)
    {
        if (policy is null)
        {
            yield break;
        }
        if (policy.Obj("outlierDetection")?["consecutiveErrors"] is { } errors)
        {
            yield return new Finding(Code, FindingSeverity.Info,
                $"{dr.Name}: outlierDetection.consecutiveErrors ({errors.ToJsonString()}) is deprecated: {ConsecutiveErrors.Meaning}; " +
                $"to keep that meaning write {ConsecutiveErrors.WrittenAs}.", dr.Source.Ref, $"{field}.outlierDetection.consecutiveErrors");
        }
        if (policy.Obj("loadBalancer").Str("simple") == "LEAST_CONN")
        {
            yield return new Finding(Code, FindingSeverity.Info,
                $"{dr.Name}: load balancer LEAST_CONN is deprecated: {LeastConn.Meaning}; write {LeastConn.WrittenAs} instead.", dr.Source.Ref, $"{field}.loadBalancer.simple");
        }
        var ports = policy.Arr("portLevelSettings") ?? [];
        for (var i = 0; i < ports.Count; i++)
        {
            if (ports[i] is JsonObject port)
            {
                foreach (var finding in Policy(dr, port, $"{field}.portLevelSettings[{i}]"))
                {
                    yield return finding;
                }
            }
        }
    }

    private static DeprecatedField Entry(string path) => DeprecatedFields.All.Single(f => f.Path == path);
}
