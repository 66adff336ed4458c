using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Istio;
using MeshDashboard.Mesh.Kubernetes;

namespace MeshDashboard.Mesh.Simulation;

/// <summary>
/// "Where does this request go?": a pure function over one snapshot that follows istiod's translation and Envoy's
/// evaluation of HTTP routes. It picks the VirtualService for the host (<see cref="VirtualServiceSelection"/>), tries
/// its <c>http</c> rules in order (<see cref="MatchEvaluator"/>), and reports the first match's destinations with
/// their shares, mirrors, fault, timeout and retries, with one explanation line per decision.
/// Not simulated (reported as such): <c>delegate</c>, TCP/TLS routes, JWT-claim header matches, regexes that
/// <see cref="Re2Regex"/> cannot translate. Sidecar resources (egress host import) and ambient waypoints are not read.
/// </summary>
public static class RequestSimulator
{
    /// <summary>istiod's default retry policy when a rule sets none (pilot/pkg/networking/core/route/retry/retry.go).</summary>
    public const long MeshDefaultAttempts = 2;

    public const string MeshDefaultRetryOn = "connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes";

    /// <param name="snapshot">The mesh the request is routed through.</param>
    /// <param name="request">The request.</param>
    /// <param name="virtualServicesCovering">
    /// For a caller that routes many requests over one snapshot (the sandbox's simulated clients): given the host as the
    /// proxy looks it up, the VirtualServices whose hosts may cover it, a superset in any order (from an index: those
    /// declaring the host, and every one with a wildcard). Null considers every VirtualService of the snapshot; the
    /// result is the same either way, only the cost differs.
    /// </param>
    public static SimulationResult Simulate(MeshSnapshot snapshot, SimulatedRequest request, Func<string, IEnumerable<KubeObject>>? virtualServicesCovering = null)
    {
        var lines = new List<string>();
        var (written, hostPort) = SplitPort(request.Host.Trim());
        written = written.ToLowerInvariant();
        var host = request.AtGateway ? written : ResolveMeshHost(snapshot, written, request.SourceNamespace, lines);
        var service = ServiceOf(snapshot, host);
        var port = request.Port ?? hostPort ?? SinglePort(service);
        var facts = new RequestFacts(request, host, port);

        var selection = VirtualServiceSelection.Select(snapshot, facts, lines, virtualServicesCovering?.Invoke(host));
        if (selection.GatewayRefusal is not null)
        {
            return new SimulationResult { Outcome = SimulationOutcome.NotServedByGateway, Host = host, Explanation = [.. lines] };
        }
        if (selection.Rules.IsEmpty && selection.Chosen.IsEmpty)
        {
            if (request.AtGateway)
            {
                lines.Add($"No VirtualService bound to {facts.Where} serves {host}: the gateway answers 404.");
                return new SimulationResult { Outcome = SimulationOutcome.NotServedByGateway, Host = host, Explanation = [.. lines] };
            }
            lines.Add(service is null
                ? $"No VirtualService applies and {host} is not a Service in the snapshot: the sidecar passes the request through to the original destination (outboundTrafficPolicy ALLOW_ANY) or refuses it (REGISTRY_ONLY)."
                : $"No VirtualService applies: Kubernetes load balancing across the pods of Service {service.Namespace}/{service.Name}.");
            return new SimulationResult
            {
                Outcome = SimulationOutcome.ServiceDefault,
                Host = host,
                Destinations = [new SimulatedDestination(host, null, port, 100)],
                Retries = new SimulatedRetries(MeshDefaultAttempts, null, MeshDefaultRetryOn, MeshDefault: true),
                Explanation = [.. lines],
            };
        }

        var first = selection.Chosen[0];
        if (selection.Rules.IsEmpty && selection.Chosen.Any(vs => vs.HasTcpOrTls))
        {
            lines.Add($"VirtualService {first.Namespace}/{first.Name} has no http rules, only tcp/tls routes: TCP and TLS routing is not simulated.");
            return new SimulationResult { Outcome = SimulationOutcome.NotSimulated, Host = host, VirtualService = new SimulatedObject(first.Namespace, first.Name), Explanation = [.. lines] };
        }
        foreach (var (vs, rule, index) in selection.Rules)
        {
            var label = RuleLabel(vs, rule, index, selection.Chosen.Length > 1);
            var matches = rule.Arr("match")?.OfType<JsonObject>().ToList() ?? [];
            MatchVerdict verdict;
            if (matches.Count == 0)
            {
                verdict = new MatchVerdict(true, "no match conditions: matches every request");
            }
            else
            {
                var evaluator = new MatchEvaluator(facts, vs.Namespace);
                var reasons = new List<string>();
                verdict = new MatchVerdict(false, "");
                for (var m = 0; m < matches.Count; m++)
                {
                    var entry = evaluator.Evaluate(matches[m]);
                    var prefix = matches.Count > 1 ? $"match[{m}] " : "";
                    if (entry.Matched != false)
                    {
                        verdict = entry with { Reason = prefix + entry.Reason };
                        break;
                    }
                    reasons.Add(prefix + entry.Reason);
                }
                if (verdict.Matched == false)
                {
                    verdict = verdict with { Reason = string.Join(" | ", reasons) };
                }
            }

            if (verdict.Matched == false)
            {
                lines.Add($"{label}: no match — {verdict.Reason}.");
                continue;
            }
            var ruleRef = new SimulatedRule(index, rule.Str("name"));
            var vsRef = new SimulatedObject(vs.Namespace, vs.Name);
            if (verdict.Matched is null)
            {
                lines.Add($"{label}: not simulated — {verdict.Reason}. Envoy decides here; later rules were not tried.");
                return new SimulationResult { Outcome = SimulationOutcome.NotSimulated, Host = host, VirtualService = vsRef, Rule = ruleRef, Explanation = [.. lines] };
            }
            lines.Add($"{label}: matches — {verdict.Reason}.");
            return Routed(vs, rule, ruleRef, vsRef, host, port, lines);
        }

        lines.Add($"No rule of VirtualService {first.Namespace}/{first.Name} matches: Envoy answers 404 (response flag NR).");
        return new SimulationResult
        {
            Outcome = SimulationOutcome.NoRouteMatched,
            Host = host,
            VirtualService = new SimulatedObject(first.Namespace, first.Name),
            Explanation = [.. lines],
        };
    }

    private static SimulationResult Routed(VirtualServiceView vs, JsonObject rule, SimulatedRule ruleRef, SimulatedObject vsRef, string host, int? port, List<string> lines)
    {
        var result = new SimulationResult { Outcome = SimulationOutcome.Routed, Host = host, VirtualService = vsRef, Rule = ruleRef };
        if (rule["delegate"] is JsonObject delegateTo)
        {
            lines.Add($"The rule delegates to VirtualService {delegateTo.Str("namespace") ?? vs.Namespace}/{delegateTo.Str("name")}: delegation is not simulated.");
            return result with { Outcome = SimulationOutcome.NotSimulated, Explanation = [.. lines] };
        }
        if (rule["redirect"] is JsonObject redirect)
        {
            lines.Add($"The rule answers with a redirect ({redirect.ToJsonString()}).");
            return result with { Outcome = SimulationOutcome.Redirect, Explanation = [.. lines] };
        }
        if (rule["directResponse"] is JsonObject direct)
        {
            lines.Add($"The rule answers directly with status {direct.Int("status")}.");
            return result with { Outcome = SimulationOutcome.DirectResponse, Explanation = [.. lines] };
        }

        var routes = rule.Arr("route")?.OfType<JsonObject>().ToList() ?? [];
        var destinations = Destinations(routes, vs.Namespace, port, lines);
        var fault = rule["fault"] is JsonObject faultJson ? Fault(FaultView.From(faultJson)) : null;
        var timeout = rule.Str("timeout");
        var retries = rule["retries"] is JsonObject retryJson
            ? new SimulatedRetries(retryJson.Int("attempts") ?? 0, retryJson.Str("perTryTimeout"), retryJson.Str("retryOn"), MeshDefault: false)
            : new SimulatedRetries(MeshDefaultAttempts, null, MeshDefaultRetryOn, MeshDefault: true);
        lines.Add(timeout is null ? "Timeout: none (Istio disables the route timeout unless the rule sets one)." : $"Timeout: {timeout}.");
        lines.Add(retries.MeshDefault
            ? $"Retries: the mesh default ({MeshDefaultAttempts} attempts on {MeshDefaultRetryOn})."
            : $"Retries: {retries.Attempts} attempts{(retries.PerTryTimeout is null ? "" : $", {retries.PerTryTimeout} per try")}{(retries.RetryOn is null ? "" : $" on {retries.RetryOn}")}.");
        if (fault is not null)
        {
            lines.Add("Fault injection: " + DescribeFault(fault) + " (Istio's reference: timeouts and retries are not enabled when faults are injected on the client side).");
        }
        var mirrors = Mirrors(rule, vs.Namespace, port, lines);
        return result with
        {
            Destinations = destinations,
            Mirrors = mirrors,
            Fault = fault,
            Timeout = timeout,
            Retries = retries,
            Explanation = [.. lines],
        };
    }

    /// <summary>
    /// Shares as istiod builds Envoy's weighted clusters (route.go <c>applyHTTPRouteDestination</c>): a single
    /// destination gets every request whatever its weight; with several, a missing weight is 0 and such destinations
    /// are left out, the rest share by weight / sum.
    /// </summary>
    private static ImmutableArray<SimulatedDestination> Destinations(List<JsonObject> routes, string vsNamespace, int? port, List<string> lines)
    {
        if (routes.Count == 0)
        {
            lines.Add("The rule has no route destinations.");
            return [];
        }
        var total = routes.Count == 1 ? 0 : routes.Sum(r => Math.Max(0, r.Int("weight") ?? 0));
        var result = new List<SimulatedDestination>();
        foreach (var route in routes)
        {
            var destination = route.Obj("destination");
            var destHost = HostNames.Resolve(destination.Str("host") ?? "", vsNamespace);
            var weight = route.Int("weight") ?? 0;
            var percent = routes.Count == 1 ? 100 : total > 0 ? 100.0 * Math.Max(0, weight) / total : 0;
            result.Add(new SimulatedDestination(destHost, destination.Str("subset"), destination.Obj("port").Int("number") ?? port, percent));
        }
        if (routes.Count > 1 && total <= 0)
        {
            lines.Add("The weights add up to 0: istiod's webhook refuses this and Envoy would send nothing.");
        }
        else if (routes.Count > 1 && total != 100)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"The weights add up to {total}, not 100: each destination gets its weight / {total}."));
        }
        lines.Add("Destinations: " + string.Join(", ", result.Select(d => string.Create(CultureInfo.InvariantCulture, $"{d.Host}{(d.Subset is null ? "" : " subset " + d.Subset)} {d.Percent:0.##}%"))) + ".");
        return [.. result];
    }

    /// <summary>
    /// <c>mirror</c> with <c>mirrorPercentage</c> (or the deprecated integer <c>mirrorPercent</c>), and <c>mirrors[]</c> with
    /// their own <c>percentage</c>: absent = 100%, an explicit 0 = no mirroring (route.go <c>MirrorPercent</c>).
    /// </summary>
    private static ImmutableArray<SimulatedDestination> Mirrors(JsonObject rule, string vsNamespace, int? port, List<string> lines)
    {
        var result = new List<SimulatedDestination>();
        if (rule["mirror"] is JsonObject mirror)
        {
            var percent = rule.Obj("mirrorPercentage").Number("value") ?? rule.Int("mirrorPercent") ?? 100;
            Add(mirror, percent);
        }
        foreach (var policy in rule.Arr("mirrors")?.OfType<JsonObject>() ?? [])
        {
            if (policy.Obj("destination") is { } destination)
            {
                Add(destination, policy.Obj("percentage").Number("value") ?? 100);
            }
        }
        return [.. result];

        void Add(JsonObject destination, double percent)
        {
            var mirrorHost = HostNames.Resolve(destination.Str("host") ?? "", vsNamespace);
            if (percent <= 0)
            {
                lines.Add($"Mirror to {mirrorHost}: percentage 0, so nothing is mirrored.");
                return;
            }
            result.Add(new SimulatedDestination(mirrorHost, destination.Str("subset"), destination.Obj("port").Int("number") ?? port, percent));
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"Mirrored to {mirrorHost}{(destination.Str("subset") is { } s ? " subset " + s : "")}: {percent:0.####}% of requests (responses ignored)."));
        }
    }

    private static SimulatedFault Fault(FaultView fault) => new(
        fault.HasAbort ? new SimulatedAbort(fault.AbortHttpStatus, fault.AbortGrpcStatus, fault.AbortPercent ?? 0) : null,
        fault.HasDelay ? new SimulatedDelay(fault.FixedDelay, fault.DelayPercent ?? 0) : null);

    private static string DescribeFault(SimulatedFault fault)
    {
        var parts = new List<string>();
        if (fault.Abort is { } abort)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{abort.Percent:0.####}% aborted with {(abort.HttpStatus?.ToString(CultureInfo.InvariantCulture) ?? "gRPC " + abort.GrpcStatus)}"));
        }
        if (fault.Delay is { } delay)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{delay.Percent:0.####}% delayed by {delay.FixedDelay}"));
        }
        return parts.Count == 0 ? "configured but without abort or delay" : string.Join(", ", parts);
    }

    private static string RuleLabel(VirtualServiceView vs, JsonObject rule, int index, bool qualify)
    {
        var name = rule.Str("name");
        var label = $"http[{index}]{(string.IsNullOrEmpty(name) ? "" : $" \"{name}\"")}";
        return qualify ? $"{vs.Namespace}/{vs.Name} {label}" : label;
    }

    private static (string Host, int? Port) SplitPort(string host)
    {
        var colon = host.LastIndexOf(':');
        return colon > 0 && !host.Contains(']', StringComparison.Ordinal) && int.TryParse(host[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            ? (host[..colon], port)
            : (host, null);
    }

    /// <summary>
    /// The names a sidecar knows a Service by (<c>name</c> in its own namespace, <c>name.ns</c>, <c>name.ns.svc</c>, the FQDN)
    /// all lead to the FQDN; any other name is looked up as written.
    /// </summary>
    private static string ResolveMeshHost(MeshSnapshot snapshot, string host, string? sourceNamespace, List<string> lines)
    {
        if (host == "*" || host.Contains('*', StringComparison.Ordinal))
        {
            return host;
        }
        var parts = host.Split('.');
        string? fqdn = parts.Length switch
        {
            1 when sourceNamespace is { Length: > 0 } ns => HostNames.ServiceFqdn(ns, host),
            2 or 3 when (parts.Length == 2 || parts[2] == "svc") && snapshot.Find(ResourceKind.Service, parts[1], parts[0]) is not null => HostNames.ServiceFqdn(parts[1], parts[0]),
            _ => null,
        };
        if (parts.Length == 1 && fqdn is null)
        {
            lines.Add($"Host {host} is a short name but the caller's namespace is not given: it is looked up as written.");
        }
        if (fqdn is not null && fqdn != host)
        {
            lines.Add($"Host {host} resolves to {fqdn}{(parts.Length == 1 ? $" in the caller's namespace {sourceNamespace}" : "")}.");
            return fqdn;
        }
        return host;
    }

    private static KubeObject? ServiceOf(MeshSnapshot snapshot, string host)
    {
        var suffix = ".svc." + HostNames.ClusterDomain;
        if (!host.EndsWith(suffix, StringComparison.Ordinal))
        {
            return null;
        }
        var parts = host[..^suffix.Length].Split('.');
        return parts.Length == 2 ? snapshot.Find(ResourceKind.Service, parts[1], parts[0]) : null;
    }

    private static int? SinglePort(KubeObject? service) =>
        service?.Spec.Arr("ports") is { Count: 1 } ports && ports[0].Int("port") is { } port ? (int)port : null;
}
