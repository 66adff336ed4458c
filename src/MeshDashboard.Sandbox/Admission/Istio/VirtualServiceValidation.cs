using System.Text.Json.Nodes;
using static MeshDashboard.Sandbox.Admission.Istio.IstioFindings;

namespace MeshDashboard.Sandbox.Admission.Istio;

/// <summary>
/// A VirtualService as istiod's <c>ValidateVirtualService</c> checks it (istio/istio pkg/config/validation/validation.go):
/// hosts (no <c>*</c> for the mesh, no overlaps), gateways, delegate rules, JWT claim routes only at gateways, every
/// http, tls and tcp rule, exportTo, and the warnings for rules no request reaches.
/// </summary>
internal static class VirtualServiceValidation
{
    private const string MeshGateway = "mesh";

    public static void Validate(JsonObject spec, string ns, IstioFindings findings)
    {
        var hosts = Strings(spec["hosts"]);
        var gateways = Strings(spec["gateways"]);
        var isDelegate = hosts.Count == 0;
        if (isDelegate)
        {
            if (gateways.Count > 0)
            {
                findings.Error("spec.gateways", "delegate virtual service must have no gateways specified");
            }
            if (Count(spec["tls"]) > 0)
            {
                findings.Error("spec.tls", "delegate virtual service must have no tls route specified");
            }
            if (Count(spec["tcp"]) > 0)
            {
                findings.Error("spec.tcp", "delegate virtual service must have no tcp route specified");
            }
        }

        // Without gateways a VirtualService applies to sidecars; with gateways, to sidecars only if "mesh" is one of them.
        var appliesToGateway = gateways.Count > 0 && !gateways.Contains(MeshGateway);
        if (gateways.Count > 0)
        {
            IstioFields.GatewayNames(spec["gateways"], "spec.gateways", findings);
        }
        if (!appliesToGateway)
        {
            JwtClaimRoutesNeedAGateway(spec, findings);
        }
        Hosts(spec, hosts, appliesToGateway, findings);

        if (Count(spec["http"]) == 0 && Count(spec["tcp"]) == 0 && Count(spec["tls"]) == 0)
        {
            findings.Error("spec", "http, tcp or tls must be provided in virtual service");
        }
        var http = Items(spec["http"]);
        for (var i = 0; i < http.Count; i++)
        {
            if (http[i] is JsonObject rule)
            {
                HttpRouteValidation.Validate(rule, $"spec.http[{i}]", isDelegate, findings);
            }
            else
            {
                findings.Error($"spec.http[{i}]", "http route may not be null");
            }
        }
        var tls = Items(spec["tls"]);
        for (var i = 0; i < tls.Count; i++)
        {
            TlsRoute(tls[i] as JsonObject, $"spec.tls[{i}]", hosts, isSniToGateway: !gateways.Contains(MeshGateway), findings);
        }
        var tcp = Items(spec["tcp"]);
        for (var i = 0; i < tcp.Count; i++)
        {
            TcpRoute(tcp[i] as JsonObject, $"spec.tcp[{i}]", findings);
        }
        IstioFields.ExportTo(spec["exportTo"], "spec.exportTo", ns, findings);
        UnreachableRules.Warn(spec, findings);
    }

    private static void JwtClaimRoutesNeedAGateway(JsonObject spec, IstioFindings findings)
    {
        foreach (var rule in Items(spec["http"]).OfType<JsonObject>())
        {
            foreach (var match in Items(rule["match"]).OfType<JsonObject>())
            {
                foreach (var field in new[] { "headers", "withoutHeaders" })
                {
                    foreach (var (key, _) in match[field] as JsonObject ?? [])
                    {
                        if (key.StartsWith("@request.auth.claims", StringComparison.OrdinalIgnoreCase) && Mesh.Operations.HttpHeaders.IsMatchName(key) && !Mesh.Operations.HttpHeaders.IsToken(key))
                        {
                            findings.Error("spec.gateways", $"JWT claim based routing (key: {key}) is only supported for gateway, found no gateways");
                        }
                    }
                }
            }
        }
    }

    private static void Hosts(JsonObject spec, List<string> hosts, bool appliesToGateway, IstioFindings findings)
    {
        var sni = Items(spec["tls"]).OfType<JsonObject>().Any(t => Items(t["match"]).OfType<JsonObject>().Any(m => Count(m["sniHosts"]) > 0));
        var allValid = true;
        for (var i = 0; i < hosts.Count; i++)
        {
            var host = hosts[i];
            var problem = appliesToGateway ? IstioNames.GatewayBoundDomain(sni, host) : IstioNames.WildcardDomain(host);
            if (problem is not null)
            {
                if (!IstioNames.IsIpAddress(host))
                {
                    findings.Error($"spec.hosts[{i}]", problem);
                    allValid = false;
                }
            }
            else if (!appliesToGateway && host == "*")
            {
                findings.Error($"spec.hosts[{i}]", "wildcard host * is not allowed for virtual services bound to the mesh gateway");
                allValid = false;
            }
        }
        if (!allValid)
        {
            return;
        }
        for (var i = 0; i < hosts.Count; i++)
        {
            for (var j = i + 1; j < hosts.Count; j++)
            {
                if (IstioNames.Overlap(hosts[i], hosts[j]))
                {
                    findings.Error("spec.hosts", $"duplicate hosts in virtual service: {hosts[i]} & {hosts[j]}");
                }
            }
        }
    }

    /// <summary><c>validateTLSRoute</c>: matches with SNI hosts the VirtualService's hosts cover, and a route.</summary>
    private static void TlsRoute(JsonObject? route, string path, List<string> hosts, bool isSniToGateway, IstioFindings findings)
    {
        if (route is null)
        {
            return;
        }
        var matches = Items(route["match"]);
        if (matches.Count == 0)
        {
            findings.Error($"{path}.match", "TLS route must have at least one match condition");
        }
        for (var m = 0; m < matches.Count; m++)
        {
            var p = $"{path}.match[{m}]";
            if (matches[m] is not JsonObject match)
            {
                findings.Error(p, "TLS match may not be null");
                continue;
            }
            var sniHosts = Strings(match["sniHosts"]);
            if (sniHosts.Count == 0)
            {
                findings.Error($"{p}.sniHosts", "TLS match must have at least one SNI host");
            }
            foreach (var sniHost in sniHosts)
            {
                SniHost(sniHost, $"{p}.sniHosts", hosts, isSniToGateway, findings);
            }
            L4Match(match, p, findings);
        }
        if (Count(route["route"]) == 0)
        {
            findings.Error($"{path}.route", "TLS route is required");
        }
        HttpRouteValidation.Destinations(route["route"], $"{path}.route", findings, http: false);
    }

    /// <summary><c>validateSniHost</c>: a (wildcard) domain within the VirtualService's hosts; an IP only warns.</summary>
    private static void SniHost(string sniHost, string path, List<string> hosts, bool isSniToGateway, IstioFindings findings)
    {
        var problem = isSniToGateway ? IstioNames.GatewayBoundDomain(true, sniHost) : IstioNames.WildcardDomain(sniHost);
        if (problem is not null)
        {
            if (IstioNames.IsIpAddress(sniHost))
            {
                findings.Warn(path, $"using an IP address (\"{sniHost}\") goes against SNI spec and most clients do not support this");
            }
            else
            {
                findings.Error(path, problem);
            }
            return;
        }
        if (!hosts.Any(h => IstioNames.SubsetOf(sniHost, h)))
        {
            findings.Error(path, $"SNI host \"{sniHost}\" is not a compatible subset of any of the virtual service hosts: [{string.Join(", ", hosts)}]");
        }
    }

    /// <summary><c>validateTCPRoute</c>: matches as L4 attributes, and a route.</summary>
    private static void TcpRoute(JsonObject? route, string path, IstioFindings findings)
    {
        if (route is null)
        {
            return;
        }
        var matches = Items(route["match"]);
        for (var m = 0; m < matches.Count; m++)
        {
            if (matches[m] is JsonObject match)
            {
                L4Match(match, $"{path}.match[{m}]", findings);
            }
            else
            {
                findings.Error($"{path}.match[{m}]", "tcp match may not be nil");
            }
        }
        if (Count(route["route"]) == 0)
        {
            findings.Error($"{path}.route", "TCP route is required");
        }
        HttpRouteValidation.Destinations(route["route"], $"{path}.route", findings, http: false);
    }

    /// <summary>What TLS and TCP matches share: destination subnets, port, source labels, gateways.</summary>
    private static void L4Match(JsonObject match, string path, IstioFindings findings)
    {
        foreach (var subnet in Strings(match["destinationSubnets"]))
        {
            if (IstioNames.IpSubnet(subnet) is { } problem)
            {
                findings.Error($"{path}.destinationSubnets", problem);
            }
        }
        if (Integer(match["port"]) is { } port and not 0 && IstioFields.Port(port) is { } portProblem)
        {
            findings.Error($"{path}.port", portProblem);
        }
        IstioFields.Labels(match["sourceLabels"], $"{path}.sourceLabels", findings);
        IstioFields.GatewayNames(match["gateways"], $"{path}.gateways", findings);
    }
}
