using MeshDashboard.Cluster.Changes;
using MeshDashboard.Mesh.Analysis;
using MeshDashboard.Mesh.Catalog;

namespace MeshDashboard.Api;

// The automation API's shapes. Request bodies are bound to these records by JsonRequestBody (strictly: no unknown or
// repeated keys, numbers as numbers) and they describe the API in /openapi/v1.json. A parameter without a default is
// required. Every write takes an optional reason, kept in the history.

/// <summary>A request body of a write: its optional <c>reason</c> is kept in the history.</summary>
public interface IWriteRequest
{
    string? Reason { get; }
}

public sealed record WeightsRequest(IReadOnlyDictionary<string, int> Weights, string? Reason = null) : IWriteRequest;

/// <summary>A condition; <c>kind</c> is header unless given, <c>match</c> exact.</summary>
public sealed record ConditionRequest(string Kind = "header", string? Name = null, string Match = "exact", string Value = "");

/// <summary>
/// A rule: requests meeting all <c>conditions</c>, or all of any one <c>orConditions</c> set, go to the targets.
/// With an <c>origin</c> (a rule's <c>index</c> and <c>fingerprint</c> from <c>GET /api/services/{namespace}/{name}</c>)
/// it rewrites exactly that rule, named or not, keeping every field the request does not model (fault, retries,
/// timeout, mirror, headers, corsPolicy, ...); a rule changed since it was read answers 409 and nothing is written.
/// Without an origin it edits the existing rule of the same name, or adds a rule.
/// </summary>
public sealed record RuleRequest(
    string Name, IReadOnlyList<ConditionRequest> Conditions, IReadOnlyDictionary<string, int> Targets,
    IReadOnlyList<IReadOnlyList<ConditionRequest>>? OrConditions = null, RuleOriginRequest? Origin = null);

/// <summary>The rule at <c>index</c> of the VirtualService's <c>spec.http</c>, as it was when read (its <c>fingerprint</c>).</summary>
public sealed record RuleOriginRequest(int Index, string Fingerprint);

public sealed record RoutesRequest(IReadOnlyList<RuleRequest> Rules, IReadOnlyDictionary<string, int> Fallback, string? Reason = null) : IWriteRequest;

public sealed record AbortRequest(double Percent, int? HttpStatus = null, string? GrpcStatus = null);

public sealed record DelayRequest(double Percent, string FixedDelay);

public sealed record FaultRequest(string Rule, AbortRequest? Abort = null, DelayRequest? Delay = null, string? Reason = null) : IWriteRequest;

/// <summary>
/// <c>retries</c> of <c>PUT …/timeout</c>, a partial update: a field left out is kept, <c>null</c> removes it. Istio reads a
/// missing <c>attempts</c> as 0 (no retries) and then refuses <c>perTryTimeout</c> and <c>retryOn</c>. <c>retryOn</c> is a
/// comma-separated list, no spaces, of 5xx, gateway-error, reset, reset-before-request, connect-failure, retriable-4xx,
/// refused-stream, retriable-status-codes, retriable-headers, envoy-ratelimited, http3-post-connect-failure, cancelled,
/// deadline-exceeded, internal, resource-exhausted, unavailable, or HTTP status codes (e.g. <c>503</c>).
/// </summary>
public sealed record RetriesRequest(int? Attempts = null, string? PerTryTimeout = null, string? RetryOn = null);

/// <summary>
/// The request timeout and retry policy of one rule, a partial update: <c>timeout</c> or <c>retries</c> left out is kept,
/// <c>null</c> removes it (<c>"retries": null</c> brings back Istio's default retries). <c>rule</c> is the rule's name, label
/// ("rule 2") or 1-based position; with an <c>origin</c> from <c>GET /api/services/{namespace}/{name}</c> that exact rule is
/// edited, and a rule changed since it was read answers 409.
/// </summary>
public sealed record TimeoutRequest(string Rule, RuleOriginRequest? Origin = null, string? Timeout = null, RetriesRequest? Retries = null, string? Reason = null) : IWriteRequest;

/// <summary>
/// Mirrors (shadows) <c>percent</c> (above 0, at most 100) of one rule's requests to <c>subset</c> of the same service;
/// <c>"subset": null</c> stops the rule's mirroring. <c>rule</c> and <c>origin</c> as in <c>PUT …/timeout</c>.
/// </summary>
public sealed record MirrorRequest(string Rule, string? Subset, double? Percent = null, RuleOriginRequest? Origin = null, string? Reason = null) : IWriteRequest;

/// <summary>
/// The weights of TCP route <c>route</c> (0-based index into <c>spec.tcp</c>), whole numbers totalling 100. With the
/// route's <c>fingerprint</c> from <c>GET /api/services/{namespace}/{name}</c> a route changed since answers 409.
/// </summary>
public sealed record TcpWeightsRequest(int Route, IReadOnlyDictionary<string, int> Weights, string? Fingerprint = null, string? Reason = null) : IWriteRequest;

public sealed record OutlierDetectionRequest(
    int? Consecutive5xxErrors = null, int? ConsecutiveGatewayErrors = null, string? Interval = null, string? BaseEjectionTime = null,
    int? MaxEjectionPercent = null, int? MinHealthPercent = null);

public sealed record ConnectionPoolRequest(
    int? MaxConnections = null, string? ConnectTimeout = null, int? Http1MaxPendingRequests = null, int? Http2MaxRequests = null,
    int? MaxRequestsPerConnection = null, int? MaxRetries = null);

/// <summary>A partial update with JSON merge-patch meaning: a field left out is kept, <c>null</c> removes it.</summary>
public sealed record TrafficPolicyRequest(
    string? Subset = null, OutlierDetectionRequest? OutlierDetection = null, ConnectionPoolRequest? ConnectionPool = null,
    string? LoadBalancer = null, string? TlsMode = null, string? Reason = null) : IWriteRequest;

public sealed record SwitchRequest(string Subset, string? Reason = null) : IWriteRequest;

public sealed record RollbackRequest(string? Revision = null, string? Reason = null) : IWriteRequest;

/// <summary>Which pod label divides the service's pods into subsets; <c>version</c> when omitted.</summary>
public sealed record RoutingSetupRequest(string? LabelKey = null, string? Reason = null) : IWriteRequest;

public sealed record SubsetDto(string Name, IReadOnlyDictionary<string, string> Labels, int Pods, int ReadyPods);

public sealed record FindingDto(string Code, string Severity, string Message, string Object, string? Field)
{
    public static FindingDto From(Finding f) => new(f.Code, f.Severity.ToString().ToLowerInvariant(), f.Message, f.Object.ToString(), f.Field);
}

public sealed record ServiceSummaryDto(string Namespace, string Name, IReadOnlyList<SubsetDto> Subsets, IReadOnlyList<string> Routing, IReadOnlyList<FindingDto> Findings, string? ManagedBy)
{
    /// <summary>When this was last known current; with <see cref="Stale"/> true the cluster is unreachable and it may be out of date.</summary>
    public DateTimeOffset? AsOf { get; init; }

    public bool Stale { get; init; }

    public static ServiceSummaryDto From(MeshService s) => new(
        s.Namespace, s.Name,
        [.. s.Subsets.Select(x => new SubsetDto(x.Name, x.Labels, x.Pods, x.ReadyPods))],
        [.. s.RoutingSummary],
        [.. s.Findings.Select(FindingDto.From)],
        s.ManagedBy);
}

public sealed record DestinationDto(string Host, string? Subset, long? Weight, double Percent);

/// <summary>
/// One entry of <c>spec.http</c>. <c>index</c> (its position) and <c>fingerprint</c> (its exact content) are the rule's
/// origin: give them as <c>origin</c> in <c>PUT …/routes</c> to edit this rule, even when it has no name.
/// </summary>
public sealed record RuleDto(int Index, string Fingerprint, string? Name, IReadOnlyList<string> Matches, IReadOnlyList<DestinationDto> Destinations, string? Fault)
{
    /// <summary>Copies of requests sent elsewhere (shadowing), with the share of requests copied; never a share of real traffic.</summary>
    public IReadOnlyList<MirrorDto> Mirrors { get; init; } = [];

    public string? Timeout { get; init; }

    public RetriesDto? Retries { get; init; }

    /// <summary>What else the rule does, in words: rewrite, redirect, direct response, delegation, header changes, CORS.</summary>
    public IReadOnlyList<string> OtherActions { get; init; } = [];

    /// <summary>The whole rule in words, as the service page says it.</summary>
    public string Words { get; init; } = "";
}

public sealed record MirrorDto(string Host, string? Subset, long? Port, double Percent);

public sealed record RetriesDto(long? Attempts, string? PerTryTimeout, string? RetryOn);

/// <summary>One entry of <c>spec.tcp</c> or <c>spec.tls</c>: which connections and where they go.</summary>
public sealed record L4RouteDto(string Protocol, int Index, IReadOnlyList<string> Matches, IReadOnlyList<DestinationDto> Destinations)
{
    /// <summary>The route's exact content: give it to <c>PUT …/tcp-weights</c> to refuse a route changed since it was read.</summary>
    public string Fingerprint { get; init; } = "";
}

public sealed record RouteDto(string VirtualService, IReadOnlyList<string> Hosts, IReadOnlyList<string> Gateways, string Summary, IReadOnlyList<RuleDto> Rules)
{
    public IReadOnlyList<L4RouteDto> TcpAndTls { get; init; } = [];
}

public sealed record ServiceDetailDto(
    string Namespace, string Name, string Fqdn, int Pods, int ReadyPods, IReadOnlyList<SubsetDto> Subsets,
    IReadOnlyList<string> Routing, IReadOnlyList<RouteDto> Routes, IReadOnlyList<string> Gateways, IReadOnlyList<FindingDto> Findings,
    string? ManagedBy, string Version)
{
    /// <summary>When this was last known current; with <see cref="Stale"/> true the cluster is unreachable and it may be out of date.</summary>
    public DateTimeOffset? AsOf { get; init; }

    public bool Stale { get; init; }

    public static ServiceDetailDto From(MeshService s, string version) => new(
        s.Namespace, s.Name, s.Fqdn, s.Pods, s.ReadyPods,
        [.. s.Subsets.Select(x => new SubsetDto(x.Name, x.Labels, x.Pods, x.ReadyPods))],
        [.. s.RoutingSummary],
        [.. s.Routes.Select(r => new RouteDto(
            $"{r.VirtualService.Namespace}/{r.VirtualService.Name}", r.VirtualService.Hosts, r.VirtualService.Gateways, r.Summary,
            [.. r.VirtualService.Http.Select(rule => new RuleDto(
                rule.Index,
                rule.Fingerprint,
                rule.Name,
                [.. rule.Matches.Select(m => m.Describe())],
                [.. rule.Destinations.Select((d, i) => new DestinationDto(d.Host, d.Subset, d.Weight, rule.EffectivePercentages[i]))],
                RoutingDescriber.FaultText(rule.Fault).Trim(' ', '(', ')') is { Length: > 0 } fault ? fault : null)
            {
                Mirrors = [.. rule.Mirrors.Select(m => new MirrorDto(m.Destination.Host, m.Destination.Subset, m.Destination.Port, m.Percent))],
                Timeout = rule.Timeout,
                Retries = rule.Retries is { } retries ? new RetriesDto(retries.Attempts, retries.PerTryTimeout, retries.RetryOn) : null,
                OtherActions = rule.OtherActions,
                Words = RoutingDescriber.Describe(rule, d => d.Subset ?? d.Host),
            })])
        {
            TcpAndTls = [.. r.VirtualService.Tcp.Concat(r.VirtualService.Tls).Select(route => new L4RouteDto(route.Protocol, route.Index, route.Conditions,
                [.. route.Destinations.Select((d, i) => new DestinationDto(d.Host, d.Subset, d.Weight, route.EffectivePercentages[i]))])
            {
                Fingerprint = route.Fingerprint,
            })],
        })],
        [.. s.Gateways.Select(g => $"{g.Namespace}/{g.Name}")],
        [.. s.Findings.Select(FindingDto.From)],
        s.ManagedBy, version);
}

public sealed record ObjectDiffDto(string Kind, string Namespace, string Name, string Action, string Diff);

public sealed record PreviewDto(string Summary, IReadOnlyList<ObjectDiffDto> Objects, IReadOnlyList<FindingDto> Findings, bool DryRunAccepted, string DryRunMessage, string BaseVersion)
{
    public static PreviewDto From(ChangePreview p) => new(
        p.Summary,
        [.. p.Objects.Select(o => new ObjectDiffDto(o.Target.Kind.ToString(), o.Target.Namespace, o.Target.Name, o.Action.ToString().ToLowerInvariant(), o.UnifiedDiff))],
        [.. p.Findings.Select(FindingDto.From)],
        p.DryRun.Accepted, p.DryRun.Message, p.BaseVersion);
}

public sealed record AppliedDto(string Status, string Message, string? Revision, string Version);

public sealed record HistoryEntryDto(string Revision, DateTimeOffset Time, string Author, string Summary, string? Reason, bool Baseline);

/// <summary>A change of any service, newest first in <c>GET /api/changes</c>.</summary>
public sealed record RecentChangeDto(string Namespace, string Service, string Revision, DateTimeOffset Time, string Author, string Summary, string? Reason)
{
    public static RecentChangeDto From(RecentChange change) =>
        new(change.Service.Namespace, change.Service.Name, change.Revision, change.Time, change.Author, change.Summary, change.Reason);
}
