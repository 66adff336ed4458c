using System.Text.Json.Nodes;
using static MeshDashboard.Sandbox.Admission.Istio.IstioFindings;

namespace MeshDashboard.Sandbox.Admission.Istio;

/// <summary>
/// A DestinationRule as istiod's <c>ValidateDestinationRule</c> checks it (istio/istio pkg/config/validation/validation.go):
/// the host, the traffic policy at every level (never empty; outlier detection, connection pool, load balancer, client
/// TLS, port-level settings, tunnel), subsets (named as DNS labels, once each, with valid labels), exportTo and the
/// workload selector.
/// </summary>
internal static class DestinationRuleValidation
{
    private static readonly HashSet<string> LoadBalancers = ["ROUND_ROBIN", "LEAST_CONN", "LEAST_REQUEST", "RANDOM", "PASSTHROUGH", "UNSPECIFIED"];
    private static readonly HashSet<string> ClientTlsModes = ["DISABLE", "SIMPLE", "MUTUAL", "ISTIO_MUTUAL"];

    /// <summary>Envoy's bound on a Maglev table (istiod: "tableSize must be less than 5000011").</summary>
    private const long MaglevLimit = 5_000_011;

    public static void Validate(JsonObject spec, string ns, IstioFindings findings)
    {
        if (IstioNames.WildcardDomain(Text(spec["host"]) ?? "") is { } hostProblem)
        {
            findings.Error("spec.host", hostProblem);
        }
        TrafficPolicy(spec["trafficPolicy"], "spec.trafficPolicy", findings);
        var subsets = Items(spec["subsets"]);
        var names = new HashSet<string>();
        for (var i = 0; i < subsets.Count; i++)
        {
            var path = $"spec.subsets[{i}]";
            if (subsets[i] is not JsonObject subset)
            {
                findings.Error(path, "subset may not be null");
                continue;
            }
            var name = Text(subset["name"]) ?? "";
            if (!names.Add(name))
            {
                findings.Error($"{path}.name", $"duplicate subset names: {name}");
            }
            if (IstioFields.SubsetNameProblem(name) is { } problem)
            {
                findings.Error($"{path}.name", problem);
            }
            IstioFields.Labels(subset["labels"], $"{path}.labels", findings);
            TrafficPolicy(subset["trafficPolicy"], $"{path}.trafficPolicy", findings);
        }
        var selector = spec["workloadSelector"] as JsonObject;
        IstioFields.ExportTo(spec["exportTo"], "spec.exportTo", ns, findings, selectorRule: selector is not null);
        if (selector is not null)
        {
            WorkloadSelector(selector, findings);
        }
    }

    private static void WorkloadSelector(JsonObject selector, IstioFindings findings)
    {
        var labels = StringMap(selector["matchLabels"]).ToList();
        foreach (var (key, value) in labels)
        {
            if (key.Length == 0)
            {
                findings.Error("spec.workloadSelector.matchLabels", $"empty key is not supported in selector: \"={value}\"");
            }
            if (key.Contains('*', StringComparison.Ordinal) || (value ?? "").Contains('*', StringComparison.Ordinal))
            {
                findings.Error("spec.workloadSelector.matchLabels", $"wildcard is not supported in selector: \"{key}={value}\"");
            }
        }
        if (labels.Count == 0)
        {
            findings.Warn("spec.workloadSelector", "workload selector specified without labels");
        }
    }

    /// <summary><c>validateTrafficPolicy</c>: a policy that is present must set something.</summary>
    private static void TrafficPolicy(JsonNode? node, string path, IstioFindings findings)
    {
        if (node is not JsonObject policy)
        {
            return;
        }
        string[] fields = ["outlierDetection", "connectionPool", "loadBalancer", "tls", "portLevelSettings", "tunnel", "proxyProtocol", "retryBudget"];
        if (fields.All(f => policy[f] is null))
        {
            findings.Error(path, "traffic policy must have at least one field");
            return;
        }
        if (policy["tunnel"] is not null && policy["proxyProtocol"] is not null)
        {
            findings.Error(path, "tunnel and proxyProtocol must not be set together");
            return;
        }
        OutlierDetection(policy["outlierDetection"] as JsonObject, $"{path}.outlierDetection", findings);
        ConnectionPool(policy["connectionPool"], $"{path}.connectionPool", findings);
        LoadBalancer(policy["loadBalancer"] as JsonObject, $"{path}.loadBalancer", findings);
        ClientTls(policy["tls"] as JsonObject, $"{path}.tls", findings);
        PortLevelSettings(policy["portLevelSettings"], $"{path}.portLevelSettings", findings);
        Tunnel(policy["tunnel"] as JsonObject, $"{path}.tunnel", findings);
    }

    private static void PortLevelSettings(JsonNode? node, string path, IstioFindings findings)
    {
        var ports = Items(node);
        for (var i = 0; i < ports.Count; i++)
        {
            var p = $"{path}[{i}]";
            if (ports[i] is not JsonObject port)
            {
                findings.Error(p, "traffic policy may not be null");
                continue;
            }
            if (port["port"] is null)
            {
                findings.Error($"{p}.port", "portTrafficPolicy must have valid port");
            }
            if (new[] { "outlierDetection", "connectionPool", "loadBalancer", "tls" }.All(f => port[f] is null))
            {
                findings.Error(p, "port traffic policy must have at least one field");
                continue;
            }
            OutlierDetection(port["outlierDetection"] as JsonObject, $"{p}.outlierDetection", findings);
            ConnectionPool(port["connectionPool"], $"{p}.connectionPool", findings);
            LoadBalancer(port["loadBalancer"] as JsonObject, $"{p}.loadBalancer", findings);
            ClientTls(port["tls"] as JsonObject, $"{p}.tls", findings);
        }
    }

    /// <summary><c>validateOutlierDetection</c>.</summary>
    private static void OutlierDetection(JsonObject? outlier, string path, IstioFindings findings)
    {
        if (outlier is null)
        {
            return;
        }
        IstioFields.Duration(outlier["baseEjectionTime"], $"{path}.baseEjectionTime", findings);
        if (Integer(outlier["consecutiveErrors"]) is { } errors and not 0)
        {
            findings.Warn($"{path}.consecutiveErrors", "outlier detection consecutive errors is deprecated, use consecutiveGatewayErrors or consecutive5xxErrors instead");
        }
        if (!IsTrue(outlier["splitExternalLocalOriginErrors"]) && Integer(outlier["consecutiveLocalOriginFailures"]) is > 0)
        {
            findings.Error($"{path}.consecutiveLocalOriginFailures", "outlier detection consecutive local origin failures is specified, but split external local origin errors is set to false");
        }
        IstioFields.Duration(outlier["interval"], $"{path}.interval", findings);
        foreach (var field in new[] { "maxEjectionPercent", "minHealthPercent" })
        {
            if (Integer(outlier[field]) is { } percent and (< 0 or > 100))
            {
                findings.Error($"{path}.{field}", $"percentage {percent} is not in range 0..100");
            }
        }
    }

    /// <summary><c>validateConnectionPool</c>: http and/or tcp, counts not negative, durations of 1ms or more.</summary>
    private static void ConnectionPool(JsonNode? node, string path, IstioFindings findings)
    {
        if (node is not JsonObject pool)
        {
            return;
        }
        if (pool["http"] is null && pool["tcp"] is null)
        {
            findings.Error(path, "connection pool must have at least one field");
            return;
        }
        if (pool["http"] is JsonObject http)
        {
            foreach (var field in new[] { "http1MaxPendingRequests", "http2MaxRequests", "maxRequestsPerConnection", "maxRetries", "maxConcurrentStreams" })
            {
                if (Integer(http[field]) is < 0)
                {
                    findings.Error($"{path}.http.{field}", $"{field} must be non-negative");
                }
            }
            IstioFields.Duration(http["idleTimeout"], $"{path}.http.idleTimeout", findings);
            if (Text(http["h2UpgradePolicy"]) == "UPGRADE" && IsTrue(http["useClientProtocol"]))
            {
                findings.Error($"{path}.http.useClientProtocol", "use client protocol must not be true when H2UpgradePolicy is UPGRADE");
            }
        }
        if (pool["tcp"] is JsonObject tcp)
        {
            if (Integer(tcp["maxConnections"]) is < 0)
            {
                findings.Error($"{path}.tcp.maxConnections", "max connections must be non-negative");
            }
            IstioFields.Duration(tcp["connectTimeout"], $"{path}.tcp.connectTimeout", findings);
            IstioFields.Duration(tcp["maxConnectionDuration"], $"{path}.tcp.maxConnectionDuration", findings);
            // An idle timeout under a millisecond (0s included) turns the timeout off, and istiod lets it through.
            if (Text(tcp["idleTimeout"]) is { } idle && Mesh.Operations.Durations.TotalNanoseconds(idle) is >= 1_000_000m)
            {
                IstioFields.Duration(tcp["idleTimeout"], $"{path}.tcp.idleTimeout", findings);
            }
            if (tcp["tcpKeepalive"] is JsonObject keepalive)
            {
                IstioFields.Duration(keepalive["time"], $"{path}.tcp.tcpKeepalive.time", findings);
                IstioFields.Duration(keepalive["interval"], $"{path}.tcp.tcpKeepalive.interval", findings);
            }
        }
    }

    /// <summary><c>validateLoadBalancer</c>: a simple policy by name, or a consistent hash istiod can program.</summary>
    private static void LoadBalancer(JsonObject? balancer, string path, IstioFindings findings)
    {
        if (balancer is null)
        {
            return;
        }
        if (Text(balancer["simple"]) is { } simple && !LoadBalancers.Contains(simple))
        {
            findings.Error($"{path}.simple", $"unsupported load balancer \"{simple}\"; use ROUND_ROBIN, LEAST_REQUEST, RANDOM or PASSTHROUGH");
        }
        if (balancer["consistentHash"] is JsonObject hash)
        {
            ConsistentHash(hash, $"{path}.consistentHash", findings);
        }
        if (balancer["localityLbSetting"] is not null && balancer["zoneAwareLbSetting"] is not null)
        {
            findings.Error(path, "only one of localityLbSetting and zoneAwareLbSetting can be set");
        }
        if (balancer["warmup"] is JsonObject warmup)
        {
            if (warmup["duration"] is null)
            {
                findings.Error($"{path}.warmup.duration", "duration is required");
            }
            IstioFields.Duration(warmup["duration"], $"{path}.warmup.duration", findings);
            if (Number(warmup["minimumPercent"]) is > 100)
            {
                findings.Error($"{path}.warmup.minimumPercent", "minimumPercent value should be less than or equal to 100");
            }
            if (warmup["aggression"] is { } aggression && Number(aggression) is <= 0)
            {
                findings.Error($"{path}.warmup.aggression", "aggression should be greater than 0");
            }
        }
    }

    private static void ConsistentHash(JsonObject hash, string path, IstioFindings findings)
    {
        if (hash["httpCookie"] is JsonObject cookie)
        {
            if (!HasText(cookie["name"]))
            {
                findings.Error($"{path}.httpCookie.name", "name required for HttpCookie");
            }
            var names = new HashSet<string>();
            foreach (var attribute in Items(cookie["attributes"]))
            {
                var name = Text(attribute?["name"]) ?? "";
                if (name.Length == 0)
                {
                    findings.Error($"{path}.httpCookie.attributes", "cookie attribute name cannot be empty");
                }
                else if (!names.Add(name))
                {
                    findings.Error($"{path}.httpCookie.attributes", $"duplicate cookie attribute name: {name}");
                }
            }
        }
        var ringSize = Integer(hash["minimumRingSize"]) ?? 0;
        if (ringSize != 0)
        {
            findings.Warn($"{path}.minimumRingSize", "consistent hash MinimumRingSize is deprecated, use ConsistentHashLB's RingHash configuration instead");
            if (hash["maglev"] is not null || hash["ringHash"] is not null)
            {
                findings.Error(path, "only one of MinimumRingSize or Maglev/Ringhash can be specified");
            }
        }
        if (hash["maglev"] is JsonObject maglev)
        {
            var size = Integer(maglev["tableSize"]) ?? 0;
            if (size == 0)
            {
                findings.Error($"{path}.maglev.tableSize", "tableSize must be set for maglev");
            }
            if (size >= MaglevLimit)
            {
                findings.Error($"{path}.maglev.tableSize", "tableSize must be less than 5000011 for maglev");
            }
            if (!IsPrime(size))
            {
                findings.Error($"{path}.maglev.tableSize", "tableSize must be a prime number for maglev");
            }
        }
    }

    /// <summary>Envoy's primality test, which istiod copies: 1, 2 and 3 count as prime, 0 does not.</summary>
    private static bool IsPrime(long x)
    {
        if (x is > 0 and < 4)
        {
            return true;
        }
        if (x <= 0 || x % 2 == 0)
        {
            return false;
        }
        for (long factor = 3; factor * factor <= x; factor += 2)
        {
            if (x % factor == 0)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// <c>agent.ValidateTLS</c>: with insecureSkipVerify no CA or SANs to verify against; with a credentialName no inline
    /// certificates; MUTUAL without a credentialName needs a client certificate and key.
    /// </summary>
    private static void ClientTls(JsonObject? tls, string path, IstioFindings findings)
    {
        if (tls is null)
        {
            return;
        }
        var mode = Text(tls["mode"]) ?? "DISABLE";
        if (!ClientTlsModes.Contains(mode))
        {
            findings.Error($"{path}.mode", $"unsupported TLS mode \"{mode}\"; use DISABLE, SIMPLE, MUTUAL or ISTIO_MUTUAL");
            return;
        }
        var credential = HasText(tls["credentialName"]);
        var sans = tls["subjectAltNames"] is JsonArray;
        if (IsTrue(tls["insecureSkipVerify"]))
        {
            if (mode == "SIMPLE" && (HasText(tls["caCertificates"]) || credential || sans))
            {
                findings.Error(path, "cannot specify CaCertificates or CredentialName or SubjectAltNames when InsecureSkipVerify is set true");
            }
            if (mode == "MUTUAL" && (HasText(tls["caCertificates"]) || sans))
            {
                findings.Error(path, "cannot specify CaCertificates or SubjectAltNames when InsecureSkipVerify is set true");
            }
        }
        if (mode is "SIMPLE" or "MUTUAL" && credential)
        {
            if (new[] { "clientCertificate", "caCertificates", "privateKey", "caCrl" }.Any(f => HasText(tls[f])))
            {
                findings.Error(path, "cannot specify client certificates or CA certificate or CA CRL If credentialName is set");
            }
            return;
        }
        if (mode == "MUTUAL")
        {
            if (!HasText(tls["clientCertificate"]))
            {
                findings.Error($"{path}.clientCertificate", "client certificate required for mutual tls");
            }
            if (!HasText(tls["privateKey"]))
            {
                findings.Error($"{path}.privateKey", "private key required for mutual tls");
            }
        }
    }

    /// <summary><c>validateTunnelSettings</c>: CONNECT or POST to a host (FQDN or IP) and port.</summary>
    private static void Tunnel(JsonObject? tunnel, string path, IstioFindings findings)
    {
        if (tunnel is null)
        {
            return;
        }
        if (Text(tunnel["protocol"]) is { Length: > 0 } protocol && protocol is not ("CONNECT" or "POST"))
        {
            findings.Error($"{path}.protocol", "tunnel protocol must be \"CONNECT\" or \"POST\"");
        }
        var host = Text(tunnel["targetHost"]) ?? "";
        if (IstioNames.Fqdn(host) is { } problem && !IstioNames.IsIpAddress(host))
        {
            findings.Error($"{path}.targetHost", $"tunnel target host must be valid FQDN or IP address: {problem}");
        }
        if (IstioFields.Port(Integer(tunnel["targetPort"])) is { } portProblem)
        {
            findings.Error($"{path}.targetPort", $"tunnel target port is invalid: {portProblem}");
        }
    }
}
