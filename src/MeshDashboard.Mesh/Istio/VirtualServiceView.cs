using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using MeshDashboard.Mesh.Kubernetes;

namespace MeshDashboard.Mesh.Istio;

/// <summary>A typed, read-only view of a VirtualService's fields that MeshDashboard shows and edits.</summary>
public sealed record VirtualServiceView(
    KubeObject Source,
    ImmutableArray<string> Hosts,
    ImmutableArray<string> Gateways,
    ImmutableArray<HttpRouteView> Http,
    bool HasTcpOrTls)
{
    public string Namespace => Source.Namespace;

    public string Name => Source.Name;

    /// <summary>True when the rules apply to sidecars: no gateways listed, or the reserved name <c>mesh</c>.</summary>
    public bool AppliesToMesh => Gateways.IsEmpty || Gateways.Contains("mesh");

    public static VirtualServiceView From(KubeObject vs)
    {
        var spec = vs.Spec;
        var http = spec.Arr("http") ?? [];
        return new VirtualServiceView(
            vs,
            [.. spec.Strings("hosts")],
            [.. spec.Strings("gateways")],
            [.. http.Select((rule, index) => HttpRouteView.From(rule as JsonObject ?? [], index))],
            spec?["tcp"] is not null || spec?["tls"] is not null);
    }
}

/// <summary>One entry of <c>spec.http</c>: its matches (ORed entries of ANDed conditions), destinations and fault.</summary>
public sealed record HttpRouteView(
    int Index,
    string? Name,
    ImmutableArray<MatchView> Matches,
    ImmutableArray<RouteDestinationView> Destinations,
    FaultView? Fault,
    bool HasRedirect,
    bool HasDirectResponse,
    bool HasDelegate)
{
    /// <summary>A rule with no match (or an empty match entry) matches every request.</summary>
    public bool IsCatchAll => Matches.IsEmpty || Matches.Any(m => m.IsEmpty);

    /// <summary>A name for people: the rule's name, or its position.</summary>
    public string Label => string.IsNullOrEmpty(Name) ? $"rule {Index + 1}" : Name;

    /// <summary>
    /// Identifies this rule's exact content, so an edit can refer to "the rule at <see cref="Index"/> as it was"
    /// (rules need no name) and notice when the rule changed in between.
    /// </summary>
    public string Fingerprint { get; init; } = "";

    public static string FingerprintOf(JsonObject rule) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(rule.ToJsonString())))[..16];

    /// <summary>Each destination's share in percent, as Envoy applies it: weight / sum, omitted weight = 0, a single destination gets all.</summary>
    public ImmutableArray<double> EffectivePercentages
    {
        get
        {
            if (Destinations.Length == 1)
            {
                return [100];
            }
            var total = Destinations.Sum(d => d.Weight ?? 0);
            return total <= 0
                ? [.. Destinations.Select(_ => 0.0)]
                : [.. Destinations.Select(d => 100.0 * (d.Weight ?? 0) / total)];
        }
    }

    public static HttpRouteView From(JsonObject rule, int index) => new(
        index,
        rule.Str("name"),
        [.. (rule.Arr("match") ?? []).Select(m => MatchView.From(m as JsonObject ?? []))],
        [.. (rule.Arr("route") ?? []).Select(d => RouteDestinationView.From(d as JsonObject ?? []))],
        rule["fault"] is JsonObject fault ? FaultView.From(fault) : null,
        rule["redirect"] is not null,
        rule["directResponse"] is not null,
        rule["delegate"] is not null)
    {
        Fingerprint = FingerprintOf(rule),
    };
}

/// <summary>One entry of a rule's <c>match</c> list: all its conditions must hold (AND).</summary>
public sealed record MatchView(
    ImmutableArray<(string Name, StringMatch Match)> Headers,
    ImmutableArray<(string Name, StringMatch Match)> WithoutHeaders,
    ImmutableArray<(string Name, StringMatch Match)> QueryParams,
    StringMatch? Uri,
    StringMatch? Method,
    StringMatch? Authority,
    StringMatch? Scheme,
    bool HasOtherConditions)
{
    public bool IsEmpty => Headers.IsEmpty && WithoutHeaders.IsEmpty && QueryParams.IsEmpty && Uri is null && Method is null && Authority is null && Scheme is null && !HasOtherConditions;

    private static readonly HashSet<string> Modeled = ["headers", "withoutHeaders", "queryParams", "uri", "method", "authority", "scheme", "name"];

    public static MatchView From(JsonObject match) => new(
        Pairs(match.Obj("headers")),
        Pairs(match.Obj("withoutHeaders")),
        Pairs(match.Obj("queryParams")),
        StringMatch.From(match["uri"]),
        StringMatch.From(match["method"]),
        StringMatch.From(match["authority"]),
        StringMatch.From(match["scheme"]),
        match.Any(p => !Modeled.Contains(p.Key)));

    private static ImmutableArray<(string, StringMatch)> Pairs(JsonObject? map) =>
        map is null ? [] : [.. map.Select(p => (p.Key, StringMatch.From(p.Value) ?? new StringMatch(MatchKind.Present, "")))];

    /// <summary>The conditions in words, ANDed: e.g. <c>end-user: tester and uri starts with /api</c>.</summary>
    public string Describe()
    {
        var parts = new List<string>();
        parts.AddRange(Headers.Select(h => h.Match.Describe(h.Name)));
        parts.AddRange(WithoutHeaders.Select(h => "not " + h.Match.Describe(h.Name)));
        parts.AddRange(QueryParams.Select(q => q.Match.Describe("?" + q.Name)));
        if (Uri is not null)
        {
            parts.Add(Uri.Describe("uri"));
        }
        if (Method is not null)
        {
            parts.Add(Method.Describe("method"));
        }
        if (Authority is not null)
        {
            parts.Add(Authority.Describe("authority"));
        }
        if (Scheme is not null)
        {
            parts.Add(Scheme.Describe("scheme"));
        }
        if (HasOtherConditions)
        {
            parts.Add("other conditions");
        }
        return parts.Count == 0 ? "everyone" : string.Join(" and ", parts);
    }
}

public sealed record RouteDestinationView(string Host, string? Subset, long? Port, long? Weight)
{
    public static RouteDestinationView From(JsonObject route)
    {
        var destination = route.Obj("destination");
        return new RouteDestinationView(destination.Str("host") ?? "", destination.Str("subset"), destination.Obj("port").Int("number"), route.Int("weight"));
    }
}

/// <summary>Fault injection on a rule. Without a percentage no request is affected.</summary>
public sealed record FaultView(double? AbortPercent, long? AbortHttpStatus, string? AbortGrpcStatus, double? DelayPercent, string? FixedDelay, bool UsesDeprecatedDelayPercent)
{
    public bool HasAbort => AbortHttpStatus is not null || AbortGrpcStatus is not null;

    public bool HasDelay => FixedDelay is not null;

    public static FaultView From(JsonObject fault)
    {
        var abort = fault.Obj("abort");
        var delay = fault.Obj("delay");
        var delayPercent = delay.Obj("percentage").Number("value") ?? delay.Int("percent");
        return new FaultView(
            abort.Obj("percentage").Number("value"),
            abort.Int("httpStatus"),
            abort.Str("grpcStatus"),
            delayPercent,
            delay.Str("fixedDelay"),
            delay?["percent"] is not null);
    }
}
