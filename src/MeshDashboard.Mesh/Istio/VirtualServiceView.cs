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
    ImmutableArray<L4RouteView> Tcp,
    ImmutableArray<L4RouteView> Tls)
{
    public bool HasTcpOrTls => !Tcp.IsEmpty || !Tls.IsEmpty;

    /// <summary>Every destination of every route, HTTP, TCP and TLS.</summary>
    public IEnumerable<RouteDestinationView> AllDestinations =>
        Http.SelectMany(r => r.Destinations).Concat(Tcp.SelectMany(r => r.Destinations)).Concat(Tls.SelectMany(r => r.Destinations));

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
            [.. (spec.Arr("tcp") ?? []).Select((rule, index) => L4RouteView.From("TCP", rule as JsonObject ?? [], index))],
            [.. (spec.Arr("tls") ?? []).Select((rule, index) => L4RouteView.From("TLS", rule as JsonObject ?? [], index))]);
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
    public ImmutableArray<double> EffectivePercentages => RouteDestinationView.Percentages(Destinations);

    /// <summary>Copies of the requests sent elsewhere (shadowing): never answered from, never a share of real traffic.</summary>
    public ImmutableArray<MirrorView> Mirrors { get; init; } = [];

    /// <summary>The request timeout, as written (e.g. <c>500ms</c>).</summary>
    public string? Timeout { get; init; }

    public RetriesView? Retries { get; init; }

    /// <summary>What else the rule does to requests, in words (rewrite, header changes, CORS, …), in spec order.</summary>
    public ImmutableArray<string> OtherActions { get; init; } = [];

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
        Mirrors = MirrorView.AllOf(rule),
        Timeout = rule.Str("timeout"),
        Retries = rule["retries"] is JsonObject retries ? RetriesView.From(retries) : null,
        OtherActions = [.. OtherActionsOf(rule)],
    };

    private static IEnumerable<string> OtherActionsOf(JsonObject rule)
    {
        if (rule.Obj("rewrite") is { } rewrite)
        {
            var parts = new List<string>();
            if (rewrite.Str("uri") is { } uri)
            {
                parts.Add($"path to {uri}");
            }
            if (rewrite.Obj("uriRegexRewrite") is { } regex)
            {
                parts.Add($"path /{regex.Str("match")}/ to {regex.Str("rewrite")}");
            }
            if (rewrite.Str("authority") is { } authority)
            {
                parts.Add($"authority to {authority}");
            }
            yield return "rewrites " + (parts.Count == 0 ? "the request" : string.Join(" and ", parts));
        }
        if (rule.Obj("redirect") is { } redirect)
        {
            var target = $"{redirect.Str("scheme")}{(redirect.Str("scheme") is null ? "" : "://")}{redirect.Str("authority")}{redirect.Str("uri")}";
            yield return $"redirects ({redirect.Int("redirectCode") ?? 301}){(target.Length == 0 ? "" : " to " + target)}";
        }
        if (rule.Obj("directResponse") is { } direct)
        {
            yield return $"answers {direct.Int("status")} itself";
        }
        if (rule.Obj("delegate") is { } delegated)
        {
            yield return $"delegates to VirtualService {delegated.Str("namespace") ?? "(same namespace)"}/{delegated.Str("name")}";
        }
        if (rule.Obj("headers") is { } headers)
        {
            var sides = new[] { "request", "response" }.Where(side => headers.Obj(side) is { Count: > 0 }).ToList();
            if (sides.Count > 0)
            {
                yield return $"changes {string.Join(" and ", sides)} headers";
            }
        }
        if (rule["corsPolicy"] is JsonObject)
        {
            yield return "applies a CORS policy";
        }
    }
}

/// <summary>A copy of each request sent to another destination; <see cref="Percent"/> of requests are copied (Istio's default: all).</summary>
public sealed record MirrorView(RouteDestinationView Destination, double Percent)
{
    public static ImmutableArray<MirrorView> AllOf(JsonObject rule)
    {
        var mirrors = new List<MirrorView>();
        if (rule["mirror"] is JsonObject mirror)
        {
            mirrors.Add(new MirrorView(RouteDestinationView.FromDestination(mirror, null), rule.Obj("mirrorPercentage").Number("value") ?? rule.Int("mirrorPercent") ?? 100));
        }
        foreach (var entry in (rule.Arr("mirrors") ?? []).OfType<JsonObject>())
        {
            mirrors.Add(new MirrorView(RouteDestinationView.FromDestination(entry.Obj("destination"), null), entry.Obj("percentage").Number("value") ?? 100));
        }
        return [.. mirrors];
    }
}

/// <summary>Retries of a rule: how many attempts, each with what timeout, on which failures (Envoy's defaults when absent).</summary>
public sealed record RetriesView(long? Attempts, string? PerTryTimeout, string? RetryOn)
{
    public static RetriesView From(JsonObject retries) => new(retries.Int("attempts"), retries.Str("perTryTimeout"), retries.Str("retryOn"));

    public string Describe() =>
        Attempts == 0
            ? "no retries"
            : $"retries {(Attempts is { } n ? n.ToString(System.Globalization.CultureInfo.InvariantCulture) + "×" : "")}{(PerTryTimeout is null ? "" : $" ({PerTryTimeout} each)")}{(RetryOn is null ? "" : $" on {RetryOn}")}".TrimEnd();
}

/// <summary>One entry of <c>spec.tcp</c> or <c>spec.tls</c>: its conditions in words and weighted destinations.</summary>
public sealed record L4RouteView(string Protocol, int Index, ImmutableArray<string> Conditions, ImmutableArray<RouteDestinationView> Destinations)
{
    public ImmutableArray<double> EffectivePercentages => RouteDestinationView.Percentages(Destinations);

    /// <summary>This entry's exact content, as <see cref="HttpRouteView.Fingerprint"/>: an edit refers to it to notice a change in between.</summary>
    public string Fingerprint { get; init; } = "";

    public static L4RouteView From(string protocol, JsonObject rule, int index) => new(
        protocol,
        index,
        [.. (rule.Arr("match") ?? []).OfType<JsonObject>().Select(DescribeMatch)],
        [.. (rule.Arr("route") ?? []).Select(d => RouteDestinationView.From(d as JsonObject ?? []))])
    {
        Fingerprint = HttpRouteView.FingerprintOf(rule),
    };

    private static string DescribeMatch(JsonObject match)
    {
        var parts = new List<string>();
        if (match.Int("port") is { } port)
        {
            parts.Add($"port {port}");
        }
        if (match.Strings("sniHosts") is { Count: > 0 } sni)
        {
            parts.Add($"SNI {string.Join(" or ", sni)}");
        }
        if (match.Strings("destinationSubnets") is { Count: > 0 } subnets)
        {
            parts.Add($"to {string.Join(" or ", subnets)}");
        }
        if (match.Obj("sourceLabels") is { Count: > 0 } labels)
        {
            parts.Add($"from pods with {string.Join(", ", labels.Select(l => $"{l.Key}={l.Value}"))}");
        }
        if (match.Str("sourceNamespace") is { } ns)
        {
            parts.Add($"from namespace {ns}");
        }
        if (match.Strings("gateways") is { Count: > 0 } gateways)
        {
            parts.Add($"at {string.Join(" or ", gateways)}");
        }
        return parts.Count == 0 ? "all connections" : string.Join(" and ", parts);
    }
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
    public bool IsEmpty => Headers.IsEmpty && WithoutHeaders.IsEmpty && QueryParams.IsEmpty && Uri is null && Method is null && Authority is null && Scheme is null
        && Port is null && SourceLabels.IsEmpty && SourceNamespace is null && Gateways.IsEmpty && !HasOtherConditions;

    /// <summary>The destination port the request must arrive on.</summary>
    public long? Port { get; init; }

    /// <summary>Labels the calling workload must carry (sidecar traffic only).</summary>
    public ImmutableArray<(string Key, string Value)> SourceLabels { get; init; } = [];

    public string? SourceNamespace { get; init; }

    /// <summary>Gateways (or <c>mesh</c>) this match entry is limited to, overriding the VirtualService's list.</summary>
    public ImmutableArray<string> Gateways { get; init; } = [];

    /// <summary>URI matching ignores case (uri only, not headers).</summary>
    public bool IgnoreUriCase { get; init; }

    /// <summary>Conditions the rule editor has no fields for: a rule that has them is shown, not edited, there.</summary>
    public bool HasConditionsBeyondTheEditor => HasOtherConditions || Authority is not null || Scheme is not null || Port is not null
        || !SourceLabels.IsEmpty || SourceNamespace is not null || !Gateways.IsEmpty || IgnoreUriCase;

    // name and statPrefix label the entry; they are not conditions.
    private static readonly HashSet<string> Modeled = ["headers", "withoutHeaders", "queryParams", "uri", "method", "authority", "scheme", "name", "statPrefix",
        "port", "sourceLabels", "sourceNamespace", "gateways", "ignoreUriCase"];

    public static MatchView From(JsonObject match) => new(
        Pairs(match.Obj("headers")),
        Pairs(match.Obj("withoutHeaders")),
        Pairs(match.Obj("queryParams")),
        StringMatch.From(match["uri"]),
        StringMatch.From(match["method"]),
        StringMatch.From(match["authority"]),
        StringMatch.From(match["scheme"]),
        match.Any(p => !Modeled.Contains(p.Key)))
    {
        Port = match.Int("port"),
        SourceLabels = [.. (match.Obj("sourceLabels") ?? []).Select(p => (p.Key, p.Value?.ToString() ?? ""))],
        SourceNamespace = match.Str("sourceNamespace"),
        Gateways = [.. match.Strings("gateways")],
        IgnoreUriCase = match.Bool("ignoreUriCase") == true,
    };

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
            parts.Add(Uri.Describe("uri") + (IgnoreUriCase ? " (any case)" : ""));
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
        if (Port is not null)
        {
            parts.Add($"port {Port}");
        }
        if (!SourceLabels.IsEmpty)
        {
            parts.Add($"from pods with {string.Join(", ", SourceLabels.Select(l => $"{l.Key}={l.Value}"))}");
        }
        if (SourceNamespace is not null)
        {
            parts.Add($"from namespace {SourceNamespace}");
        }
        if (!Gateways.IsEmpty)
        {
            parts.Add($"at {string.Join(" or ", Gateways.Select(g => g == "mesh" ? "sidecars (mesh)" : "gateway " + g))}");
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
    public static RouteDestinationView From(JsonObject route) => FromDestination(route.Obj("destination"), route.Int("weight"));

    public static RouteDestinationView FromDestination(JsonObject? destination, long? weight) =>
        new(destination.Str("host") ?? "", destination.Str("subset"), destination.Obj("port").Int("number"), weight);

    /// <summary>Each destination's share in percent, as Envoy applies it: weight / sum, omitted weight = 0, a single destination gets all.</summary>
    public static ImmutableArray<double> Percentages(ImmutableArray<RouteDestinationView> destinations)
    {
        if (destinations.Length == 1)
        {
            return [100];
        }
        var total = destinations.Sum(d => d.Weight ?? 0);
        return total <= 0
            ? [.. destinations.Select(_ => 0.0)]
            : [.. destinations.Select(d => 100.0 * (d.Weight ?? 0) / total)];
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
