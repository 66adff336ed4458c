using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Istio;
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
            var service = index.ServiceByFqdn(host);
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
        AnalyzeVirtualServices(index, findings);
        AnalyzeDestinationRules(index, findings);
        AnalyzeGateways(index, findings);
        AnalyzeOwnership(snapshot, findings);
        return findings.ToImmutable();
    }

    private static void AnalyzeVirtualServices(MeshIndex index, ImmutableArray<Finding>.Builder findings)
    {
        foreach (var vs in index.VirtualServices)
        {
            var rawHttp = vs.Source.Spec.Arr("http") ?? [];
            for (var g = 0; g < vs.Gateways.Length; g++)
            {
                var gateway = vs.Gateways[g];
                if (gateway != "mesh" && index.Gateway(gateway, vs.Namespace) is null)
                {
                    findings.Add(new Finding(FindingCodes.GatewayNotFound, FindingSeverity.Error,
                        $"{vs.Name}: gateway \"{gateway}\" does not exist, so these rules apply nowhere through it.", vs.Source.Ref, $"spec.gateways[{g}]"));
                }
            }

            var catchAll = vs.Http.FirstOrDefault(r => r.IsCatchAll);
            for (var r = 0; r < vs.Http.Length; r++)
            {
                var rule = vs.Http[r];
                var field = $"spec.http[{r}]";
                if (catchAll is not null && r > catchAll.Index)
                {
                    findings.Add(new Finding(FindingCodes.UnreachableRule, FindingSeverity.Warning,
                        $"{vs.Name}: rule \"{rule.Label}\" is never used: rule \"{catchAll.Label}\" before it matches every request.", vs.Source.Ref, field));
                }
                AnalyzeWeights(vs, rule, field, findings);
                if (rawHttp[r]?["fault"] is JsonObject fault)
                {
                    AnalyzeFault(vs, rule, fault, field + ".fault", findings);
                }
            }
        }

        // MD005: one host, one gateway scope, several VirtualServices. Istio picks one (or merges unpredictably).
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
                    findings.Add(new Finding(FindingCodes.DuplicateHost, FindingSeverity.Warning,
                        $"{member.Vs.Name}: host {group.Key.Host} has several VirtualServices for {scope} ({names}); which rules apply is not defined.",
                        member.Vs.Source.Ref, $"spec.hosts[{member.HostIndex}]"));
                }
            }
        }
    }

    /// <summary>Where a VirtualService's rules apply: "mesh" and/or gateways as namespace/name.</summary>
    private static IEnumerable<string> Scopes(VirtualServiceView vs) =>
        vs.Gateways.IsEmpty
            ? ["mesh"]
            : vs.Gateways.Select(g => g == "mesh" ? "mesh" : g.Contains('/', StringComparison.Ordinal) ? g : $"{vs.Namespace}/{g}").Distinct();

    private static void AnalyzeWeights(VirtualServiceView vs, HttpRouteView rule, string field, ImmutableArray<Finding>.Builder findings)
    {
        for (var d = 0; d < rule.Destinations.Length; d++)
        {
            if (rule.Destinations[d].Weight < 0)
            {
                findings.Add(new Finding(FindingCodes.InvalidWeights, FindingSeverity.Error,
                    $"{vs.Name}: rule \"{rule.Label}\" has a negative weight ({rule.Destinations[d].Weight}); Istio rejects it.", vs.Source.Ref, $"{field}.route[{d}].weight"));
            }
        }
        if (rule.Destinations.Length < 2 || rule.Destinations.Any(d => d.Weight < 0))
        {
            return;
        }
        var total = rule.Destinations.Sum(d => d.Weight ?? 0);
        if (total == 0)
        {
            findings.Add(new Finding(FindingCodes.InvalidWeights, FindingSeverity.Error,
                $"{vs.Name}: rule \"{rule.Label}\" has several destinations whose weights total 0; Istio rejects it.", vs.Source.Ref, $"{field}.route"));
        }
        else if (total != 100)
        {
            var percentages = rule.EffectivePercentages;
            var shares = string.Join(", ", rule.Destinations.Select((d, i) => $"{RoutingDescriber.Percent(percentages[i])} {d.Subset ?? d.Host}"));
            findings.Add(new Finding(FindingCodes.WeightsNotHundred, FindingSeverity.Info,
                $"{vs.Name}: rule \"{rule.Label}\" has weights totalling {total.ToString(CultureInfo.InvariantCulture)}; they apply as {shares}.", vs.Source.Ref, $"{field}.route"));
        }
    }

    private static void AnalyzeFault(VirtualServiceView vs, HttpRouteView rule, JsonObject fault, string field, ImmutableArray<Finding>.Builder findings)
    {
        foreach (var part in new[] { "abort", "delay" })
        {
            if (fault[part] is not JsonObject obj)
            {
                continue;
            }
            var percentage = obj.Obj("percentage").Number("value");
            var legacy = part == "delay" ? obj.Number("percent") : null;
            if (percentage is { } value && !(value == 0 || (value >= 0.0001 && value <= 100)))
            {
                findings.Add(new Finding(FindingCodes.FaultInvalid, FindingSeverity.Error,
                    $"{vs.Name}: rule \"{rule.Label}\" has a fault {part} percentage of {value.ToString(CultureInfo.InvariantCulture)}; it must be 0 or between 0.0001 and 100.",
                    vs.Source.Ref, $"{field}.{part}.percentage.value"));
            }
            else if (percentage is null && legacy is null)
            {
                findings.Add(new Finding(FindingCodes.FaultInvalid, FindingSeverity.Info,
                    $"{vs.Name}: rule \"{rule.Label}\" has a fault {part} without a percentage; it affects no request.", vs.Source.Ref, $"{field}.{part}"));
            }
            if (legacy is { } percent && percent is < 0 or > 100)
            {
                findings.Add(new Finding(FindingCodes.FaultInvalid, FindingSeverity.Error,
                    $"{vs.Name}: rule \"{rule.Label}\" has a fault delay percent of {percent.ToString(CultureInfo.InvariantCulture)}; it must be 0..100.", vs.Source.Ref, $"{field}.delay.percent"));
            }
            if (legacy is not null)
            {
                findings.Add(new Finding(FindingCodes.DeprecatedField, FindingSeverity.Info,
                    $"{vs.Name}: rule \"{rule.Label}\" uses the deprecated delay.percent; write percentage.value instead.", vs.Source.Ref, $"{field}.delay.percent"));
            }
        }
        if (fault.Obj("abort").Int("httpStatus") is { } status && status is < 200 or > 599)
        {
            findings.Add(new Finding(FindingCodes.FaultInvalid, FindingSeverity.Error,
                $"{vs.Name}: rule \"{rule.Label}\" aborts with HTTP status {status}; it must be 200..599.", vs.Source.Ref, $"{field}.abort.httpStatus"));
        }
    }

    private static void AnalyzeDestinationRules(MeshIndex index, ImmutableArray<Finding>.Builder findings)
    {
        foreach (var dr in index.DestinationRules)
        {
            var host = HostNames.Resolve(dr.Host, dr.Namespace);
            if (host.EndsWith(".svc." + HostNames.ClusterDomain, StringComparison.Ordinal) && !index.ServiceExists(host))
            {
                findings.Add(new Finding(FindingCodes.DestinationRuleHostNotFound, FindingSeverity.Warning,
                    $"{dr.Name}: host {dr.Host} is not a Service in the cluster; this DestinationRule applies to nothing.", dr.Source.Ref, "spec.host"));
            }
            var spec = dr.Source.Spec;
            DeprecatedPolicy(dr, spec.Obj("trafficPolicy"), "spec.trafficPolicy", findings);
            var subsets = spec.Arr("subsets") ?? [];
            for (var i = 0; i < subsets.Count; i++)
            {
                DeprecatedPolicy(dr, subsets[i].Obj("trafficPolicy"), $"spec.subsets[{i}].trafficPolicy", findings);
            }
        }
    }

    private static void DeprecatedPolicy(DestinationRuleView dr, JsonObject? policy, string field, ImmutableArray<Finding>.Builder findings)
    {
        if (policy is null)
        {
            return;
        }
        if (policy.Obj("outlierDetection")?["consecutiveErrors"] is not null)
        {
            // Not "write consecutive5xxErrors": istiod reads the old field as gateway errors only (see DeprecatedFields).
            findings.Add(new Finding(FindingCodes.DeprecatedField, FindingSeverity.Info,
                $"{dr.Name}: outlierDetection.consecutiveErrors is deprecated and counts gateway errors (502/503/504) only; " +
                "write consecutiveGatewayErrors with the same number and consecutive5xxErrors: 0 to keep its meaning.", dr.Source.Ref, $"{field}.outlierDetection.consecutiveErrors"));
        }
        if (policy.Obj("loadBalancer").Str("simple") == "LEAST_CONN")
        {
            findings.Add(new Finding(FindingCodes.DeprecatedField, FindingSeverity.Info,
                $"{dr.Name}: load balancer LEAST_CONN is a deprecated alias; write LEAST_REQUEST instead.", dr.Source.Ref, $"{field}.loadBalancer.simple"));
        }
        var ports = policy.Arr("portLevelSettings") ?? [];
        for (var i = 0; i < ports.Count; i++)
        {
            if (ports[i] is JsonObject port)
            {
                DeprecatedPolicy(dr, port, $"{field}.portLevelSettings[{i}]", findings);
            }
        }
    }

    private static void AnalyzeGateways(MeshIndex index, ImmutableArray<Finding>.Builder findings)
    {
        foreach (var gateway in index.Gateways)
        {
            var servers = gateway.Source.Spec.Arr("servers");
            if (servers is null || servers.Count == 0)
            {
                findings.Add(new Finding(FindingCodes.GatewayServerIncomplete, FindingSeverity.Error,
                    $"{gateway.Name}: the Gateway has no servers, so it accepts no traffic.", gateway.Source.Ref, "spec.servers"));
                continue;
            }
            for (var i = 0; i < servers.Count; i++)
            {
                if (servers[i].Obj("port").Int("number") is null)
                {
                    findings.Add(new Finding(FindingCodes.GatewayServerIncomplete, FindingSeverity.Error,
                        $"{gateway.Name}: server {i + 1} has no port (port.number is required).", gateway.Source.Ref, $"spec.servers[{i}].port"));
                }
                if (servers[i].Strings("hosts").Count == 0)
                {
                    findings.Add(new Finding(FindingCodes.GatewayServerIncomplete, FindingSeverity.Error,
                        $"{gateway.Name}: server {i + 1} has no hosts (hosts is required).", gateway.Source.Ref, $"spec.servers[{i}].hosts"));
                }
            }
        }
    }

    private static void AnalyzeOwnership(MeshSnapshot snapshot, ImmutableArray<Finding>.Builder findings)
    {
        foreach (var obj in snapshot.Of(ResourceKind.VirtualService).Concat(snapshot.Of(ResourceKind.DestinationRule)))
        {
            if (ControllerOwnership.ManagedBy(obj, snapshot) is { } reason)
            {
                findings.Add(new Finding(FindingCodes.ManagedByController, FindingSeverity.Info, reason, obj.Ref, "metadata"));
            }
        }
    }
}

/// <summary>The analyzer's stable codes.</summary>
public static class FindingCodes
{
    public const string DestinationHostNotFound = "MD001";
    public const string SubsetNotDefined = "MD002";
    public const string SubsetSelectsNoPods = "MD003";
    public const string GatewayNotFound = "MD004";
    public const string DuplicateHost = "MD005";
    public const string UnreachableRule = "MD006";
    public const string InvalidWeights = "MD007";
    public const string WeightsNotHundred = "MD008";
    public const string FaultInvalid = "MD009";
    public const string DeprecatedField = "MD010";
    public const string DestinationRuleHostNotFound = "MD011";
    public const string GatewayServerIncomplete = "MD012";
    public const string ManagedByController = "MD013";
}
