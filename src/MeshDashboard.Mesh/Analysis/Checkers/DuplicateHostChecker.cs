using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Istio;

namespace MeshDashboard.Mesh.Analysis.Checkers;

/// <summary>
/// MD005: one host in one scope (sidecars, or one gateway) claimed by several VirtualServices; Istio picks one or merges
/// them in an order nobody chose. Every member is reported once per host. Kiali's counterpart:
/// <c>virtualservices/single_host_checker.go</c>.
/// </summary>
internal sealed class DuplicateHostChecker : IChecker
{
    public string Code => FindingCodes.DuplicateHost;

    // Each VirtualService's findings come from the index's host lookup (every VirtualService of the host), not from the
    // VirtualServices being checked: a scoped check (only the objects an event touched) finds the same pairs.
    public IEnumerable<Finding> Check(MeshSnapshot snapshot, MeshIndex index)
    {
        foreach (var vs in index.VirtualServices)
        {
            var reportedHosts = new HashSet<string>(StringComparer.Ordinal);
            for (var hostIndex = 0; hostIndex < vs.Hosts.Length; hostIndex++)
            {
                var host = HostNames.Resolve(vs.Hosts[hostIndex], vs.Namespace);
                foreach (var scope in Scopes(vs))
                {
                    var members = index.VirtualServicesForHost(host)
                        .Where(other => Scopes(other).Contains(scope))
                        .DistinctBy(other => other.Source.Ref)
                        .OrderBy(other => other.Namespace, StringComparer.Ordinal).ThenBy(other => other.Name, StringComparer.Ordinal)
                        .ToList();
                    if (members.Count < 2 || !reportedHosts.Add(host))
                    {
                        continue;
                    }
                    var names = string.Join(", ", members.Select(m => m.Name));
                    var where = scope == "mesh" ? "sidecars" : $"gateway {scope}";
                    yield return new Finding(Code, FindingSeverity.Warning,
                        $"{vs.Name}: host {host} has several VirtualServices for {where} ({names}); which rules apply is not defined.",
                        vs.Source.Ref, $"spec.hosts[{hostIndex}]");
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
