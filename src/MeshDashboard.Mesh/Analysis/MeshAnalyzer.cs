using System.Collections.Immutable;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Kubernetes;

namespace MeshDashboard.Mesh.Analysis;

/// <summary>
/// Checks a snapshot for configuration that sends traffic somewhere unintended. Each rule has a stable
/// code (see <see cref="FindingCodes"/>); findings point at the object and field.
/// </summary>
public static class MeshAnalyzer
{
    public static ImmutableArray<Finding> Analyze(MeshSnapshot snapshot) => Analyze(snapshot, new MeshIndex(snapshot));

    public static ImmutableArray<Finding> Analyze(MeshSnapshot snapshot, MeshIndex index)
    {
        var findings = ImmutableArray.CreateBuilder<Finding>();
        foreach (var vs in index.VirtualServices)
        {
            for (var r = 0; r < vs.Http.Length; r++)
            {
                var rule = vs.Http[r];
                for (var d = 0; d < rule.Destinations.Length; d++)
                {
                    var destination = rule.Destinations[d];
                    var host = HostNames.Resolve(destination.Host, vs.Namespace);
                    var field = $"spec.http[{r}].route[{d}].destination";
                    if (host.EndsWith(".svc." + HostNames.ClusterDomain, StringComparison.Ordinal) && !index.ServiceExists(host))
                    {
                        findings.Add(new Finding(FindingCodes.DestinationHostNotFound, FindingSeverity.Error,
                            $"{vs.Name}: rule \"{rule.Label}\" routes to {destination.Host}, but no such Service exists.", vs.Source.Ref, field + ".host"));
                    }
                    if (destination.Subset is { } subset)
                    {
                        var defined = index.DestinationRulesFor(host).SelectMany(dr => dr.Subsets).FirstOrDefault(s => s.Name == subset);
                        if (defined is null)
                        {
                            findings.Add(new Finding(FindingCodes.SubsetNotDefined, FindingSeverity.Error,
                                $"{vs.Name}: rule \"{rule.Label}\" routes to subset \"{subset}\" of {destination.Host}, which no DestinationRule defines; those requests fail with 503.",
                                vs.Source.Ref, field + ".subset"));
                        }
                    }
                }
            }
        }

        foreach (var dr in index.DestinationRules)
        {
            var host = HostNames.Resolve(dr.Host, dr.Namespace);
            var service = snapshot.Of(ResourceKind.Service).FirstOrDefault(s => HostNames.ServiceFqdn(s.Namespace, s.Name) == host);
            if (service is null)
            {
                continue;
            }
            var pods = index.PodsOf(service);
            for (var i = 0; i < dr.Subsets.Length; i++)
            {
                var subset = dr.Subsets[i];
                if (!pods.Any(p => subset.Selects(p.Labels)))
                {
                    findings.Add(new Finding(FindingCodes.SubsetSelectsNoPods, FindingSeverity.Warning,
                        $"{dr.Name}: subset \"{subset.Name}\" selects no pods of {service.Name}; traffic routed to it fails.", dr.Source.Ref, $"spec.subsets[{i}].labels"));
                }
            }
        }
        return findings.ToImmutable();
    }
}

/// <summary>The analyzer's stable codes.</summary>
public static class FindingCodes
{
    public const string DestinationHostNotFound = "MD001";
    public const string SubsetNotDefined = "MD002";
    public const string SubsetSelectsNoPods = "MD003";
}
