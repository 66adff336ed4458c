using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Istio;
using MeshDashboard.Mesh.Kubernetes;

namespace MeshDashboard.Mesh.Analysis.Checkers;

/// <summary>
/// MD005: one host in one scope (sidecars, or one gateway) claimed by several VirtualServices; Istio picks one or merges
/// them in an order nobody chose. Every member is reported once per host. Kiali's counterpart:
/// <c>virtualservices/single_host_checker.go</c>.
/// </summary>
internal sealed class DuplicateHostChecker : IChecker
{
    public string Code => FindingCodes.DuplicateHost;

    public IEnumerable<Finding> Check(MeshSnapshot snapshot, MeshIndex index)
    {
        var byHostAndScope = index.VirtualServices
            .SelectMany(vs => vs.Hosts.Select((h, i) => (Host: HostNames.Resolve(h, vs.Namespace), HostIndex: i, Vs: vs)))
            .SelectMany(p => Scopes(p.Vs).Select(scope => (p.Host, p.HostIndex, p.Vs, Scope: scope)))
            .GroupBy(p => (p.Host, p.Scope));
        var reported = new HashSet<(ObjectRef, string)>();
        foreach (var group in byHostAndScope)
        {
            var members = group.DistinctBy(p => p.Vs.Source.Ref).OrderBy(p => p.Vs.Namespace, StringComparer.Ordinal).ThenBy(p => p.Vs.Name, StringComparer.Ordinal).ToList();
            if (members.Count < 2)
            {
                continue;
            }
            var names = string.Join(", ", members.Select(m => m.Vs.Name));
            foreach (var member in members)
            {
                if (reported.Add((member.Vs.Source.Ref, group.Key.Host)))
                {
                    var scope = group.Key.Scope == "mesh" ? "sidecars" : $"gateway {group.Key.Scope}";
                    yield return new Finding(Code, FindingSeverity.Warning,
                        $"{member.Vs.Name}: host {group.Key.Host} has several VirtualServices for {scope} ({names}); which rules apply is not defined.",
                        member.Vs.Source.Ref, $"spec.hosts[{member.HostIndex}]");
                }
            }
        }
    }

    /// <summary>Where a VirtualService's rules apply: "mesh" and/or gateways as namespace/name.</summary>
    private static IEnumerable<string> Scopes(VirtualServiceView vs) =>
        vs.Gateways.IsEmpty
            ? ["mesh"]
            : vs.Gateways.Select(g => g == "mesh" ? "mesh" : g.Contains('/', StringComparison.Ordinal) ? g : $"{vs.Namespace}/{g}").Distinct();
}
