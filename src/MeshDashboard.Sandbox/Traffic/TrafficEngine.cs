using System.Globalization;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Mesh.Simulation;
using MeshDashboard.Sandbox.Admission;

namespace MeshDashboard.Sandbox.Traffic;

/// <summary>
/// Sends the simulated clients' requests for one tick and records what Istio's proxies would report. Each request is
/// routed by <see cref="RequestSimulator"/> over the live configuration (the same verdict the dashboard's simulator
/// shows), then played out:
/// <list type="bullet">
/// <item>a destination is drawn by the route's weights, a ready pod of its subset by chance;</item>
/// <item>a fault abort answers in the caller's proxy: only the <c>source</c> reporter sees it (response flag FI,
/// destination unknown); a fault delay adds to what the caller waits; retries and timeouts are off on a route with a
/// fault (Istio's VirtualService reference, HTTPFaultInjection);</item>
/// <item>each attempt that reaches a pod is reported by the <c>destination</c>; the pod answers with its annotations'
/// error rate and added latency; a retriable failure is tried again up to the route's (or the mesh default's) attempts,
/// a per-try timeout or the route timeout ends the wait with 504 (flag UT);</item>
/// <item>a mirror sends a shadow copy to its destination, reported by that destination and counted as a shadow.</item>
/// </list>
/// Every random choice comes from the <see cref="Random"/> given, so a seeded engine is reproducible.
/// </summary>
public sealed class TrafficEngine(TrafficOptions options, Random random, TrafficLedger ledger)
{
    public const string ClientWorkload = "sandbox-traffic";

    private static readonly IReadOnlyDictionary<ObjectRef, IReadOnlyDictionary<string, string>> NoStagedPods =
        new Dictionary<ObjectRef, IReadOnlyDictionary<string, string>>();

    private readonly Dictionary<ObjectRef, double> _carry = [];
    private readonly Dictionary<(ObjectRef Service, RequestShape Shape), SimulationResult> _routes = [];
    private readonly Dictionary<(string Host, string? Subset), IReadOnlyList<KubeObject>> _readyPods = [];
    private MeshSnapshot? _snapshot;
    private MeshIndex? _index;
    // VirtualServices whose hosts an index lookup by host would miss (a wildcard, upper case): tried for every host.
    private IReadOnlyList<KubeObject> _looseVirtualServices = [];
    private IReadOnlyDictionary<ObjectRef, IReadOnlyDictionary<string, string>> _stagedPods = NoStagedPods;

    public TrafficLedger Ledger => ledger;

    /// <summary>One tick over a snapshot whose pods carry their own annotations (a test's hand-made mesh).</summary>
    public void Tick(MeshSnapshot snapshot, TimeSpan elapsed, DateTimeOffset now) => Tick(MeshIndex.Of(snapshot), NoStagedPods, elapsed, now);

    /// <summary>
    /// One tick: the requests due over <paramref name="elapsed"/>, routed by <paramref name="index"/>'s snapshot.
    /// <paramref name="stagedPods"/> holds the staged-traffic annotations (<see cref="TrafficAnnotations"/>) of the pods
    /// that have some, for a mesh whose pods are kept without their annotations; a pod not in it answers by its own.
    /// </summary>
    public void Tick(MeshIndex index, IReadOnlyDictionary<ObjectRef, IReadOnlyDictionary<string, string>> stagedPods, TimeSpan elapsed, DateTimeOffset now)
    {
        var snapshot = index.Snapshot;
        if (!ReferenceEquals(snapshot, _snapshot))
        {
            // Routing is a pure function of the snapshot and the request: decided once per request shape and kept until
            // an object it depends on changes (see Forget), so an edit costs the routes of the hosts it touches.
            if (_snapshot is not null)
            {
                Forget(RouteChanges.Between(_snapshot, snapshot));
            }
            if (_snapshot is null || new[] { ResourceKind.Pod, ResourceKind.Service, ResourceKind.DestinationRule }
                .Any(kind => !ReferenceEquals(_snapshot.VersionOf(kind), snapshot.VersionOf(kind))))
            {
                _readyPods.Clear();
            }
            if (_snapshot is null || !ReferenceEquals(_snapshot.VersionOf(ResourceKind.VirtualService), snapshot.VersionOf(ResourceKind.VirtualService)))
            {
                _looseVirtualServices = [.. index.VirtualServices.Where(vs => vs.Hosts.Any(h => h.Contains('*', StringComparison.Ordinal) || h != h.ToLowerInvariant())).Select(vs => vs.Source)];
            }
            _snapshot = snapshot;
        }
        _index = index;
        _stagedPods = stagedPods;
        foreach (var service in snapshot.Of(ResourceKind.Service))
        {
            var rate = TrafficAnnotations.Number(service, TrafficAnnotations.RequestsPerSecond) ?? options.RequestsPerSecond;
            if (rate <= 0 || ReadyPods(HostNames.ServiceFqdn(service.Namespace, service.Name), null).Count == 0)
            {
                continue;
            }
            // Fractions carry over, so 0.5 rps is one request every other second rather than none.
            var due = _carry.GetValueOrDefault(service.Ref) + rate * elapsed.TotalSeconds;
            var count = (int)Math.Floor(due);
            _carry[service.Ref] = due - count;
            var mix = TrafficAnnotations.Mix(service) ?? options.Mix;
            for (var i = 0; i < count; i++)
            {
                Send(service, Pick(mix));
            }
        }
        ledger.Checkpoint(now);
    }

    /// <summary>A tick with no mesh to route by yet (its reader has not synced): no requests, the history moves on.</summary>
    public void Idle(DateTimeOffset now) => ledger.Checkpoint(now);

    // Drops the routes an edit may have changed: those of the hosts it touches (a route is decided by the VirtualServices
    // whose hosts cover the request's host, and by the Service of that host), and those that send to such a host.
    private void Forget(RouteChanges changes)
    {
        if (changes.Everything)
        {
            _routes.Clear();
            return;
        }
        if (changes.Hosts.Count == 0)
        {
            return;
        }
        var stale = _routes
            .Where(r => changes.Hosts.Contains(r.Value.Host)
                || changes.Hosts.Contains(HostNames.ServiceFqdn(r.Key.Service.Namespace, r.Key.Service.Name))
                || r.Value.Destinations.Any(d => changes.Hosts.Contains(d.Host))
                || r.Value.Mirrors.Any(m => changes.Hosts.Contains(m.Host)))
            .Select(r => r.Key)
            .ToList();
        foreach (var key in stale)
        {
            _routes.Remove(key);
        }
    }

    // The VirtualServices that may decide a host's route: those declaring it, by the index, and the loose ones. Without
    // this every route would sort and read every VirtualService of the mesh (5,000 of them for each of 10,000 routes).
    private IEnumerable<KubeObject> VirtualServicesCovering(string host) =>
        _index!.VirtualServicesForHost(host).Select(vs => vs.Source).Concat(_looseVirtualServices).Distinct(ReferenceEqualityComparer.Instance).Cast<KubeObject>();

    private RequestShape Pick(IReadOnlyList<RequestShape> mix)
    {
        var roll = random.NextDouble() * mix.Sum(s => s.Share);
        foreach (var shape in mix)
        {
            roll -= shape.Share;
            if (roll < 0)
            {
                return shape;
            }
        }
        return mix[^1];
    }

    private void Send(KubeObject service, RequestShape shape)
    {
        var (callerNamespace, callerWorkload) = TrafficAnnotations.CallerOf(service) ?? (service.Namespace, ClientWorkload);
        if (!_routes.TryGetValue((service.Ref, shape), out var route))
        {
            route = RequestSimulator.Simulate(_snapshot!, new SimulatedRequest
            {
                Host = HostNames.ServiceFqdn(service.Namespace, service.Name),
                SourceNamespace = callerNamespace,
                Method = shape.Method,
                Path = shape.Path,
                Headers = shape.Headers,
            }, VirtualServicesCovering) with { Explanation = [] };
            // Kept without its explanation (a few lines of text per route, ten thousand routes): nothing here reads it.
            _routes[(service.Ref, shape)] = route;
        }
        var caller = new Caller(callerNamespace, callerWorkload, route.Host);
        switch (route.Outcome)
        {
            case SimulationOutcome.Routed when route.Destinations.Any(d => d.Percent > 0):
                Routed(caller, route);
                break;
            case SimulationOutcome.ServiceDefault:
                Attempts(caller, Draw(route.Destinations), fault: null, route.Retries, timeout: null);
                break;
            case SimulationOutcome.NoRouteMatched:
                ReportAtSource(caller, null, "404", "NR", 1);
                break;
            case SimulationOutcome.DirectResponse or SimulationOutcome.Redirect:
                // Answered by the caller's proxy from the rule; no pod is involved.
                ReportAtSource(caller, null, route.Outcome == SimulationOutcome.Redirect ? "301" : "200", "-", 1);
                break;
            default:
                // Not simulated (delegate, TCP, an untranslatable regex) or nothing to route to: no figure rather than a made-up one.
                break;
        }
    }

    private void Routed(Caller caller, SimulationResult route)
    {
        foreach (var mirror in route.Mirrors)
        {
            if (random.NextDouble() * 100 < mirror.Percent && PickPod(mirror) is { } shadowPod)
            {
                var (code, latency) = Answer(shadowPod);
                ReportAtDestination(caller, mirror, shadowPod, code, latency);
                ledger.RecordShadow(mirror.Host, shadowPod.Namespace, Version(shadowPod));
            }
        }
        var destination = Draw(route.Destinations);
        var fault = route.Fault;
        if (fault?.Abort is { } abort && random.NextDouble() * 100 < abort.Percent)
        {
            var grpc = abort.GrpcStatus is { } status ? GrpcCode(status) : "";
            ReportAtSource(caller, destination, grpc.Length > 0 ? "200" : (abort.HttpStatus ?? 500).ToString(CultureInfo.InvariantCulture), "FI", 1, grpc);
            return;
        }
        var delayMs = fault?.Delay is { } delay && random.NextDouble() * 100 < delay.Percent && Milliseconds(delay.FixedDelay) is { } fixedDelay
            ? fixedDelay
            : 0;
        Attempts(caller, destination, fault, route.Retries, route.Timeout, delayMs);
    }

    private void Attempts(Caller caller, SimulatedDestination destination, SimulatedFault? fault, SimulatedRetries? retries, string? timeout, double delayMs = 0)
    {
        var withFault = fault is not null;
        var tries = withFault ? 1 : 1 + Math.Max(0, retries?.Attempts ?? 0);
        var perTry = withFault ? null : Milliseconds(retries?.PerTryTimeout);
        // Istio's "0s" timeout means none.
        var limit = withFault ? null : Milliseconds(timeout) is > 0 and var ms ? ms : (double?)null;
        var waited = delayMs;
        for (var attempt = 1; ; attempt++)
        {
            if (PickPod(destination) is not { } pod)
            {
                // No ready endpoint in the subset, or a subset no DestinationRule defines: Envoy answers 503 itself.
                ReportAtSource(caller, destination, "503", "UH", waited + 1);
                return;
            }
            var (code, latency) = Answer(pod);
            ReportAtDestination(caller, destination, pod, code, latency);
            var flags = "-";
            if (perTry is { } tryLimit && latency > tryLimit)
            {
                (code, latency, flags) = ("504", tryLimit, "UT");
            }
            waited += latency;
            if (limit is { } overall && waited > overall)
            {
                ReportAtSource(caller, destination, "504", "UT", overall, pod: pod);
                return;
            }
            if (attempt >= tries || !Retriable(code, retries))
            {
                ReportAtSource(caller, destination, code, flags, waited, pod: pod);
                return;
            }
        }
    }

    /// <summary>
    /// Which answers Envoy retries under the route's <c>retryOn</c>: <c>5xx</c> any 5xx, <c>gateway-error</c> 502/503/504,
    /// status codes listed in it, and <c>retriable-status-codes</c> with Istio's default of 503 (route/retry/retry.go).
    /// Connection failures and resets do not happen to the sandbox's pods.
    /// </summary>
    private static bool Retriable(string code, SimulatedRetries? retries)
    {
        if (retries is null || retries.Attempts <= 0 || !code.StartsWith('5'))
        {
            return false;
        }
        var on = (retries.RetryOn ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return on.Contains("5xx")
            || (on.Contains("gateway-error") && code is "502" or "503" or "504")
            || on.Contains(code)
            || (on.Contains("retriable-status-codes") && code == "503");
    }

    private SimulatedDestination Draw(IReadOnlyList<SimulatedDestination> destinations)
    {
        var roll = random.NextDouble() * destinations.Sum(d => d.Percent);
        foreach (var destination in destinations)
        {
            roll -= destination.Percent;
            if (roll < 0)
            {
                return destination;
            }
        }
        return destinations[^1];
    }

    private KubeObject? PickPod(SimulatedDestination destination)
    {
        var candidates = ReadyPods(destination.Host, destination.Subset);
        return candidates.Count == 0 ? null : candidates[random.Next(candidates.Count)];
    }

    // The ready pods a destination (host and subset) sends to, worked out once per destination and kept until a pod,
    // Service or DestinationRule changes: tens of thousands of requests a second otherwise each filter the same lists.
    private IReadOnlyList<KubeObject> ReadyPods(string host, string? subsetName)
    {
        if (_readyPods.TryGetValue((host, subsetName), out var known))
        {
            return known;
        }
        IReadOnlyList<KubeObject> ready = [];
        if (ServiceOf(host) is { } service)
        {
            var pods = _index!.PodsOf(service).Where(MeshIndex.IsReady);
            if (subsetName is not null)
            {
                var subset = _index.DestinationRulesFor(host).SelectMany(dr => dr.Subsets).FirstOrDefault(s => s.Name == subsetName);
                pods = subset is null ? [] : pods.Where(p => subset.Selects(p.Labels));
            }
            ready = [.. pods];
        }
        _readyPods[(host, subsetName)] = ready;
        return ready;
    }

    private KubeObject? ServiceOf(string fqdn)
    {
        var suffix = ".svc." + HostNames.ClusterDomain;
        var parts = fqdn.EndsWith(suffix, StringComparison.Ordinal) ? fqdn[..^suffix.Length].Split('.') : [];
        return parts.Length == 2 ? _snapshot!.Find(ResourceKind.Service, parts[1], parts[0]) : null;
    }

    /// <summary>How the pod answers: its error rate and added latency come from its (staged) annotations.</summary>
    private (string Code, double LatencyMs) Answer(KubeObject pod)
    {
        var annotations = _stagedPods.GetValueOrDefault(pod.Ref) ?? pod.Annotations;
        var latency = options.BaseLatencyMs * (0.5 + random.NextDouble()) + (TrafficAnnotations.Number(annotations, TrafficAnnotations.LatencyMs) ?? 0);
        var errorRate = Math.Min(1, TrafficAnnotations.Number(annotations, TrafficAnnotations.ErrorRate) ?? 0);
        if (errorRate > 0 && random.NextDouble() < errorRate)
        {
            var code = TrafficAnnotations.Number(annotations, TrafficAnnotations.ErrorCode) is { } c && c is >= 100 and < 600 ? ((int)c).ToString(CultureInfo.InvariantCulture) : "500";
            return (code, latency);
        }
        return ("200", latency);
    }

    private void ReportAtDestination(Caller caller, SimulatedDestination destination, KubeObject pod, string code, double latency) =>
        ledger.Record(Labels("destination", caller, destination.Host, pod, code, "-", "", "mutual_tls"), latency);

    private void ReportAtSource(Caller caller, SimulatedDestination? destination, string code, string flags, double latency, string grpc = "", KubeObject? pod = null) =>
        ledger.Record(Labels("source", caller, destination?.Host ?? caller.Host, pod, code, flags, grpc, IstioLabels.Unknown), latency);

    private IstioLabels Labels(string reporter, Caller caller, string host, KubeObject? pod, string code, string flags, string grpc, string security)
    {
        var service = ServiceOf(host);
        return new IstioLabels(reporter, caller.Workload, caller.Namespace, host,
            service?.Name ?? host, service?.Namespace ?? IstioLabels.Unknown,
            pod is null ? IstioLabels.Unknown : Workload(pod), pod?.Namespace ?? IstioLabels.Unknown,
            pod?.Labels.GetValueOrDefault("app") ?? IstioLabels.Unknown, pod is null ? IstioLabels.Unknown : Version(pod),
            code, grpc, flags, security);
    }

    private static double? Milliseconds(string? duration) => GoDuration.TryParse(duration, out var parsed) ? parsed.TotalMilliseconds : null;

    private static string Version(KubeObject pod) => pod.Labels.GetValueOrDefault("version") ?? IstioLabels.Unknown;

    /// <summary>The Deployment a pod belongs to, as Istio names <c>destination_workload</c> (the dashboard reads it back the same way).</summary>
    private static string Workload(KubeObject pod) => MeshDashboard.Mesh.Maps.Callers.WorkloadOf(pod);

    /// <summary>gRPC status names as Istio's fault abort takes them (grpc codes.proto), to the number Envoy reports.</summary>
    private static string GrpcCode(string status) => status.ToUpperInvariant() switch
    {
        "OK" => "0", "CANCELLED" => "1", "UNKNOWN" => "2", "INVALID_ARGUMENT" => "3", "DEADLINE_EXCEEDED" => "4", "NOT_FOUND" => "5",
        "ALREADY_EXISTS" => "6", "PERMISSION_DENIED" => "7", "RESOURCE_EXHAUSTED" => "8", "FAILED_PRECONDITION" => "9", "ABORTED" => "10",
        "OUT_OF_RANGE" => "11", "UNIMPLEMENTED" => "12", "INTERNAL" => "13", "UNAVAILABLE" => "14", "DATA_LOSS" => "15", "UNAUTHENTICATED" => "16",
        var other => int.TryParse(other, NumberStyles.None, CultureInfo.InvariantCulture, out _) ? other : "2",
    };

    private sealed record Caller(string Namespace, string Workload, string Host);
}
