using System.Globalization;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Mesh.Simulation;
using static MeshDashboard.Mesh.Tests.TestMesh;

namespace MeshDashboard.Mesh.Tests.Simulation;

/// <summary>
/// The simulator against a table of cases written for this project, each naming the Istio or Envoy source it follows.
/// Sources: istio.io "Virtual Service" reference (networking/virtual-service), istio/istio
/// pilot/pkg/networking/core/route/route.go (TranslateRoute, sourceMatchHTTP, TranslateRouteMatch, translateHeaderMatch,
/// applyHTTPRouteDestination, MirrorPercent), pilot/pkg/model/virtualservice.go (ResolveVirtualServiceShortnames,
/// SelectVirtualServices), pilot/pkg/model/config.go (resolveGatewayName, configCompareByCreationTime),
/// pilot/pkg/model/push_context.go (initVirtualServices: exportTo), pkg/config/host/name.go (wildcards),
/// pilot/pkg/networking/core/gateway.go (gateway virtual hosts), Envoy route_components.proto (RouteMatch).
/// Summary format: outcome, VirtualService, rule index, destinations as host[:subset]=percent (FQDNs shortened to name.ns).
/// </summary>
public sealed class SimulatorTests
{
    public sealed record Case(string Source, KubeObject[] Objects, SimulatedRequest Request, string Expected, Func<SimulationResult, bool>? Also = null);

    private static SimulatedRequest Req(string host = "reviews", string? ns = "bookinfo", string path = "/", string method = "GET",
        Dictionary<string, string>? headers = null, Dictionary<string, string>? labels = null, string? gateway = null, int? port = null) =>
        new()
        {
            Host = host,
            SourceNamespace = ns,
            Path = path,
            Method = method,
            Headers = headers ?? [],
            SourceLabels = labels ?? [],
            Gateway = gateway,
            Port = port,
        };

    private static Dictionary<string, string> H(params string[] pairs) =>
        Enumerable.Range(0, pairs.Length / 2).ToDictionary(i => pairs[2 * i], i => pairs[2 * i + 1]);

    private static readonly KubeObject ReviewsSvc = Service("bookinfo", "reviews");

    /// <summary>A reviews VirtualService in bookinfo with the given http rules (JSON array body).</summary>
    private static KubeObject[] Reviews(string http, string extra = "") =>
        [ReviewsSvc, Vs("bookinfo", "reviews", $$"""{"hosts": ["reviews"]{{extra}}, "http": {{http}}}""")];

    private const string ToV1 = """{"route": [{"destination": {"host": "reviews", "subset": "v1"}}]}""";
    private const string ToV2 = """{"route": [{"destination": {"host": "reviews", "subset": "v2"}}]}""";

    private static string Rule(string match, string route = ToV2) => route.Insert(1, $"\"match\": {match}, ");

    private static readonly Dictionary<string, Case> Cases = new()
    {
        // ---- rule order, AND/OR ------------------------------------------------------------------------------------
        ["FirstMatchingRuleWins"] = new("istio.io VirtualService reference, HTTPRoute: rules are evaluated in order, first match wins",
            Reviews($"[{Rule("""[{"uri": {"prefix": "/"}}]""")}, {ToV1}]"), Req(), "Routed bookinfo/reviews #0 [reviews.bookinfo:v2=100]"),
        ["RuleWithoutMatchMatchesAll"] = new("route.go BuildHTTPRoutesForVirtualService: a rule with no match is a catch-all",
            Reviews($"[{ToV1}, {ToV2}]"), Req(path: "/anything"), "Routed bookinfo/reviews #0 [reviews.bookinfo:v1=100]"),
        ["ConditionsInOneEntryAreAnded"] = new("istio.io HTTPMatchRequest: all conditions of one match entry must hold",
            Reviews($$"""[{{Rule("""[{"uri": {"prefix": "/api"}, "headers": {"end-user": {"exact": "tester"}}}]""")}}, {{ToV1}}]"""),
            Req(path: "/api/x"), "Routed bookinfo/reviews #1 [reviews.bookinfo:v1=100]"),
        ["EntriesAreOred"] = new("istio.io HTTPRoute.match: the match entries are ORed",
            Reviews($$"""[{{Rule("""[{"uri": {"prefix": "/api"}}, {"headers": {"end-user": {"exact": "tester"}}}]""")}}, {{ToV1}}]"""),
            Req(path: "/web", headers: H("end-user", "tester")), "Routed bookinfo/reviews #0 [reviews.bookinfo:v2=100]"),
        ["NoRuleMatchesIs404"] = new("Envoy: no route matched → 404 NR (route.go builds no catch-all when every rule has matches)",
            Reviews($$"""[{{Rule("""[{"uri": {"exact": "/only"}}]""")}}]"""), Req(path: "/other"), "NoRouteMatched bookinfo/reviews - []"),

        // ---- URI ---------------------------------------------------------------------------------------------------
        ["ExactUriIgnoresQueryString"] = new("Envoy RouteMatch.path: matches :path once the query string is removed",
            Reviews($$"""[{{Rule("""[{"uri": {"exact": "/reviews/1"}}]""")}}, {{ToV1}}]"""), Req(path: "/reviews/1?x=2"), "Routed bookinfo/reviews #0 [reviews.bookinfo:v2=100]"),
        ["PrefixUriMatchesLongerPath"] = new("route.go TranslateRouteMatch: uri.prefix → RouteMatch.prefix",
            Reviews($$"""[{{Rule("""[{"uri": {"prefix": "/foo"}}]""")}}, {{ToV1}}]"""), Req(path: "/foobar"), "Routed bookinfo/reviews #0 [reviews.bookinfo:v2=100]"),
        ["RegexUriIsAFullMatch"] = new("Envoy RouteMatch.safe_regex: the entire path must match, not a subsequence",
            Reviews($$"""[{{Rule("""[{"uri": {"regex": "/foo"}}]""")}}, {{ToV1}}]"""), Req(path: "/foobar"), "Routed bookinfo/reviews #1 [reviews.bookinfo:v1=100]"),
        ["RegexUriMatchesWholePath"] = new("Envoy RouteMatch.safe_regex with RE2 syntax",
            Reviews($$"""[{{Rule("""[{"uri": {"regex": "/reviews/\\d+"}}]""")}}, {{ToV1}}]"""), Req(path: "/reviews/42?a=b"), "Routed bookinfo/reviews #0 [reviews.bookinfo:v2=100]"),
        ["RegexDigitsAreAscii"] = new("RE2 syntax: \\d is [0-9] (ASCII), unlike .NET's Unicode \\d",
            Reviews($$"""[{{Rule("""[{"uri": {"regex": "/r/\\d+"}}]""")}}, {{ToV1}}]"""), Req(path: "/r/١٢"), "Routed bookinfo/reviews #1 [reviews.bookinfo:v1=100]"),
        ["Re2NamedGroupIsTranslated"] = new("RE2 syntax: (?P<name>re) is a named group",
            Reviews($$"""[{{Rule("""[{"uri": {"regex": "/(?P<id>[a-z]+)"}}]""")}}, {{ToV1}}]"""), Req(path: "/abc"), "Routed bookinfo/reviews #0 [reviews.bookinfo:v2=100]"),
        ["LookaheadIsNotSimulated"] = new("RE2 has no lookaround; Envoy refuses such a route, we say so",
            Reviews($$"""[{{Rule("""[{"uri": {"regex": "/(?=a)a"}}]""")}}, {{ToV1}}]"""), Req(path: "/a"), "NotSimulated bookinfo/reviews #0 []"),
        ["IgnoreUriCaseAppliesToPrefix"] = new("route.go: CaseSensitive = !ignoreUriCase",
            Reviews($$"""[{{Rule("""[{"uri": {"prefix": "/API"}, "ignoreUriCase": true}]""")}}, {{ToV1}}]"""), Req(path: "/api/v1"), "Routed bookinfo/reviews #0 [reviews.bookinfo:v2=100]"),
        ["UriIsCaseSensitiveByDefault"] = new("Envoy RouteMatch.case_sensitive defaults to true",
            Reviews($$"""[{{Rule("""[{"uri": {"exact": "/API"}}]""")}}, {{ToV1}}]"""), Req(path: "/api"), "Routed bookinfo/reviews #1 [reviews.bookinfo:v1=100]"),
        ["IgnoreUriCaseDoesNotApplyToRegex"] = new("Envoy RouteMatch.case_sensitive: ignored for safe_regex matching",
            Reviews($$"""[{{Rule("""[{"uri": {"regex": "/API"}, "ignoreUriCase": true}]""")}}, {{ToV1}}]"""), Req(path: "/api"), "Routed bookinfo/reviews #1 [reviews.bookinfo:v1=100]"),

        // ---- headers -----------------------------------------------------------------------------------------------
        ["HeaderNamesAreCaseInsensitive"] = new("HTTP header names are case-insensitive; Envoy lowercases them",
            Reviews($$"""[{{Rule("""[{"headers": {"end-user": {"exact": "tester"}}}]""")}}, {{ToV1}}]"""), Req(headers: H("End-User", "tester")), "Routed bookinfo/reviews #0 [reviews.bookinfo:v2=100]"),
        ["HeaderValuesAreCaseSensitive"] = new("Envoy StringMatcher.exact compares values exactly",
            Reviews($$"""[{{Rule("""[{"headers": {"end-user": {"exact": "tester"}}}]""")}}, {{ToV1}}]"""), Req(headers: H("end-user", "Tester")), "Routed bookinfo/reviews #1 [reviews.bookinfo:v1=100]"),
        ["EmptyHeaderMatchTestsPresence"] = new("route.go translateHeaderMatch/canBeConvertedToPresentMatch: {} → present_match",
            Reviews($$"""[{{Rule("""[{"headers": {"x-canary": {}}}]""")}}, {{ToV1}}]"""), Req(headers: H("x-canary", "")), "Routed bookinfo/reviews #0 [reviews.bookinfo:v2=100]"),
        ["RegexStarIsPresence"] = new("route.go canBeConvertedToPresentMatch: regex \"*\" is not RE2 and becomes present_match",
            Reviews($$"""[{{Rule("""[{"headers": {"x-canary": {"regex": "*"}}}]""")}}, {{ToV1}}]"""), Req(), "Routed bookinfo/reviews #1 [reviews.bookinfo:v1=100]"),
        ["HeaderRegexIsAFullMatch"] = new("Envoy StringMatcher.safe_regex: full match of the value",
            Reviews($$"""[{{Rule("""[{"headers": {"user-agent": {"regex": "Mozilla"}}}]""")}}, {{ToV1}}]"""), Req(headers: H("user-agent", "Mozilla/5.0")), "Routed bookinfo/reviews #1 [reviews.bookinfo:v1=100]"),
        ["WithoutHeadersRefusesMatchingHeader"] = new("route.go TranslateRouteMatch: withoutHeaders → InvertMatch",
            Reviews($$"""[{{Rule("""[{"withoutHeaders": {"end-user": {"exact": "tester"}}}]""")}}, {{ToV1}}]"""), Req(headers: H("end-user", "tester")), "Routed bookinfo/reviews #1 [reviews.bookinfo:v1=100]"),
        ["AbsentHeaderSatisfiesWithoutHeaders"] = new("route.go: withoutHeaders sets TreatMissingHeaderAsEmpty; \"\" ≠ tester, inverted → match",
            Reviews($$"""[{{Rule("""[{"withoutHeaders": {"end-user": {"exact": "tester"}}}]""")}}, {{ToV1}}]"""), Req(), "Routed bookinfo/reviews #0 [reviews.bookinfo:v2=100]"),
        ["AbsentHeaderFailsWithoutHeadersOfEmptyValue"] = new("route.go: TreatMissingHeaderAsEmpty — a missing header equals \"\" and the inverted match fails",
            Reviews($$"""[{{Rule("""[{"withoutHeaders": {"end-user": {"exact": ""}}}]""")}}, {{ToV1}}]"""), Req(), "Routed bookinfo/reviews #1 [reviews.bookinfo:v1=100]"),
        ["WithoutHeadersPresenceRequiresAbsence"] = new("route.go: withoutHeaders {} → inverted present_match",
            Reviews($$"""[{{Rule("""[{"withoutHeaders": {"x-debug": {}}}]""")}}, {{ToV1}}]"""), Req(headers: H("x-debug", "1")), "Routed bookinfo/reviews #1 [reviews.bookinfo:v1=100]"),
        ["JwtClaimHeadersAreNotSimulated"] = new("route.go translateMetadataMatch: @request.auth.claims.* match JWT claims, not headers",
            Reviews($$"""[{{Rule("""[{"headers": {"@request.auth.claims.group": {"exact": "admin"}}}]""")}}, {{ToV1}}]"""), Req(), "NotSimulated bookinfo/reviews #0 []"),

        // ---- query, method, scheme, authority, port ------------------------------------------------------------------
        ["QueryParamExact"] = new("route.go translateQueryParamMatch: exact via StringMatcher",
            Reviews($$"""[{{Rule("""[{"queryParams": {"v": {"exact": "2"}}}]""")}}, {{ToV1}}]"""), Req(path: "/p?a=1&v=2"), "Routed bookinfo/reviews #0 [reviews.bookinfo:v2=100]"),
        ["QueryParamPrefixIsTranslated"] = new("route.go translateQueryParamMatch → util.ConvertToEnvoyMatch handles prefix too",
            Reviews($$"""[{{Rule("""[{"queryParams": {"user": {"prefix": "test"}}}]""")}}, {{ToV1}}]"""), Req(path: "/p?user=tester"), "Routed bookinfo/reviews #0 [reviews.bookinfo:v2=100]"),
        ["QueryParamRegexIsAFullMatch"] = new("istio.io HTTPMatchRequest.queryParams: regex \\d+$ matches 123, not a123",
            Reviews($$"""[{{Rule("""[{"queryParams": {"id": {"regex": "\\d+$"}}}]""")}}, {{ToV1}}]"""), Req(path: "/p?id=a123"), "Routed bookinfo/reviews #1 [reviews.bookinfo:v1=100]"),
        ["QueryParamWithoutValueIsEmpty"] = new("istio.io HTTPMatchRequest.queryParams: ?key is matched by exact \"\"",
            Reviews($$"""[{{Rule("""[{"queryParams": {"debug": {"exact": ""}}}]""")}}, {{ToV1}}]"""), Req(path: "/p?debug"), "Routed bookinfo/reviews #0 [reviews.bookinfo:v2=100]"),
        ["MethodIsCaseSensitive"] = new("route.go: method → :method header matcher, exact value",
            Reviews($$"""[{{Rule("""[{"method": {"exact": "POST"}}]""")}}, {{ToV1}}]"""), Req(method: "post"), "Routed bookinfo/reviews #1 [reviews.bookinfo:v1=100]"),
        ["MethodMatches"] = new("route.go: method → :method header matcher",
            Reviews($$"""[{{Rule("""[{"method": {"exact": "POST"}}]""")}}, {{ToV1}}]"""), Req(method: "POST"), "Routed bookinfo/reviews #0 [reviews.bookinfo:v2=100]"),
        ["SchemeMatches"] = new("route.go: scheme → :scheme header matcher",
            Reviews($$"""[{{Rule("""[{"scheme": {"exact": "https"}}]""")}}, {{ToV1}}]"""), Req(), "Routed bookinfo/reviews #1 [reviews.bookinfo:v1=100]"),
        ["AuthorityMatches"] = new("route.go: authority → :authority header matcher",
            Reviews($$"""[{{Rule("""[{"authority": {"prefix": "reviews"}}]""")}}, {{ToV1}}]"""), Req(host: "reviews:9080"), "Routed bookinfo/reviews #0 [reviews.bookinfo:v2=100]"),
        ["PortMustEqualTheRequestPort"] = new("route.go TranslateRoute: a match with port ≠ listener port is dropped",
            Reviews($$"""[{{Rule("""[{"port": 8080}]""")}}, {{ToV1}}]"""), Req(), "Routed bookinfo/reviews #1 [reviews.bookinfo:v1=100]"),

        // ---- source ---------------------------------------------------------------------------------------------
        ["SourceLabelsAreASubsetOfTheCallers"] = new("route.go sourceMatchHTTP: sourceLabels SubsetOf proxy labels",
            Reviews($$"""[{{Rule("""[{"sourceLabels": {"app": "productpage"}}]""")}}, {{ToV1}}]"""), Req(labels: H("app", "productpage", "version", "v1")), "Routed bookinfo/reviews #0 [reviews.bookinfo:v2=100]"),
        ["SourceLabelsMissingOnCaller"] = new("route.go sourceMatchHTTP: sourceLabels not a subset → no route",
            Reviews($$"""[{{Rule("""[{"sourceLabels": {"app": "productpage", "version": "v2"}}]""")}}, {{ToV1}}]"""), Req(labels: H("app", "productpage", "version", "v1")), "Routed bookinfo/reviews #1 [reviews.bookinfo:v1=100]"),
        ["SourceNamespaceMustEqual"] = new("route.go sourceMatchHTTP: SourceNamespace == proxy namespace",
            Reviews($$"""[{{Rule("""[{"sourceNamespace": "frontend"}]""")}}, {{ToV1}}]"""), Req(host: "reviews.bookinfo", ns: "frontend"), "Routed bookinfo/reviews #0 [reviews.bookinfo:v2=100]"),
        ["MatchGatewaysSkipSourceChecks"] = new("route.go sourceMatchHTTP: with gateways in the match, sourceLabels/sourceNamespace are not checked",
            Reviews($$"""[{{Rule("""[{"gateways": ["mesh"], "sourceNamespace": "elsewhere"}]""")}}, {{ToV1}}]"""), Req(), "Routed bookinfo/reviews #0 [reviews.bookinfo:v2=100]"),

        // ---- gateways ------------------------------------------------------------------------------------------------
        ["GatewayOnlyVsDoesNotApplyToMesh"] = new("istio.io VirtualService.gateways: without mesh, rules apply at the gateways only",
            [.. Reviews($"[{ToV2}]", """, "gateways": ["bookinfo-gateway"]""")], Req(), "ServiceDefault - - [reviews.bookinfo=100]"),
        ["GatewayVsAppliesAtItsGateway"] = new("virtualservice.go ResolveVirtualServiceShortnames/config.go resolveGatewayName: short gateway name is in the VS namespace",
            [ReviewsSvc, Gateway("bookinfo", "bookinfo-gateway", """{"selector": {"istio": "ingressgateway"}, "servers": [{"port": {"number": 80, "name": "http", "protocol": "HTTP"}, "hosts": ["*"]}]}"""),
                Vs("bookinfo", "front", """{"hosts": ["bookinfo.example.com"], "gateways": ["bookinfo-gateway"], "http": [{"route": [{"destination": {"host": "productpage"}}]}]}""")],
            Req(host: "bookinfo.example.com", ns: null, gateway: "bookinfo/bookinfo-gateway"), "Routed bookinfo/front #0 [productpage.bookinfo=100]"),
        ["GatewayPlusMeshAppliesToBoth"] = new("istio.io VirtualService.gateways: the reserved word mesh adds sidecars",
            [.. Reviews($"[{ToV2}]", """, "gateways": ["bookinfo-gateway", "mesh"]""")], Req(), "Routed bookinfo/reviews #0 [reviews.bookinfo:v2=100]"),
        ["MissingGatewayServesNothing"] = new("gateway.go: no Gateway, no listener",
            Reviews($"[{ToV2}]", """, "gateways": ["bookinfo-gateway"]"""), Req(gateway: "bookinfo/bookinfo-gateway"), "NotServedByGateway - - []"),
        ["MatchGatewaysPickTheEntry"] = new("route.go sourceMatchHTTP: a match entry with gateways applies only there",
            Reviews($$"""[{{Rule("""[{"gateways": ["bookinfo-gateway"]}]""")}}, {{ToV1}}]""", """, "gateways": ["bookinfo-gateway", "mesh"]"""), Req(), "Routed bookinfo/reviews #1 [reviews.bookinfo:v1=100]"),

        // ---- hosts, exportTo, precedence -------------------------------------------------------------------------------
        ["ShortHostResolvesInVsNamespace"] = new("virtualservice.go ResolveVirtualServiceShortnames → config.go ResolveShortnameToFQDN",
            Reviews($"[{ToV2}]"), Req(host: "reviews.bookinfo.svc.cluster.local", ns: "other"), "Routed bookinfo/reviews #0 [reviews.bookinfo:v2=100]"),
        ["ShortHostDoesNotMatchAnotherNamespacesService"] = new("config.go ResolveShortnameToFQDN: reviews in bookinfo is reviews.bookinfo.svc.cluster.local only",
            [.. Reviews($"[{ToV2}]"), Service("other", "reviews")], Req(host: "reviews", ns: "other"), "ServiceDefault - - [reviews.other=100]"),
        ["ExportToDotHidesFromOtherNamespaces"] = new("push_context.go initVirtualServices: exportTo . = private to the VS namespace",
            Reviews($"[{ToV2}]", """, "exportTo": ["."]"""), Req(host: "reviews.bookinfo", ns: "frontend"), "ServiceDefault - - [reviews.bookinfo=100]"),
        ["ExportToDotVisibleInOwnNamespace"] = new("push_context.go initVirtualServices: exportTo . = private to the VS namespace",
            Reviews($"[{ToV2}]", """, "exportTo": ["."]"""), Req(), "Routed bookinfo/reviews #0 [reviews.bookinfo:v2=100]"),
        ["ExportToNamedNamespace"] = new("push_context.go initVirtualServices: exportTo lists namespaces",
            Reviews($"[{ToV2}]", """, "exportTo": ["frontend"]"""), Req(host: "reviews.bookinfo", ns: "frontend"), "Routed bookinfo/reviews #0 [reviews.bookinfo:v2=100]"),
        ["ExactHostBeatsWildcard"] = new("Envoy virtual host lookup: exact domain before wildcard; pkg/config/host/name.go",
            [ReviewsSvc, Vs("bookinfo", "all", """{"hosts": ["*.bookinfo.svc.cluster.local"], "http": [{"route": [{"destination": {"host": "ratings"}}]}]}"""),
                Vs("bookinfo", "reviews", $$"""{"hosts": ["reviews"], "http": [{{ToV2}}]}""")], Req(), "Routed bookinfo/reviews #0 [reviews.bookinfo:v2=100]"),
        ["LongerWildcardBeatsShorter"] = new("Envoy virtual host lookup: longest wildcard suffix wins",
            [Vs("web", "broad", """{"hosts": ["*.com"], "http": [{"route": [{"destination": {"host": "broad"}}]}]}"""),
                Vs("web", "narrow", """{"hosts": ["*.example.com"], "http": [{"route": [{"destination": {"host": "narrow"}}]}]}""")],
            Req(host: "api.example.com", ns: "web"), "Routed web/narrow #0 [narrow.web=100]"),
        ["WildcardDoesNotCoverItsBase"] = new("pkg/config/host/name.go Matches: *.example.com is a suffix match on .example.com",
            [Vs("web", "narrow", """{"hosts": ["*.example.com"], "http": [{"route": [{"destination": {"host": "narrow"}}]}]}""")],
            Req(host: "example.com", ns: "web"), "ServiceDefault - - [example.com=100]"),
        ["OlderVsWinsADuplicateHost"] = new("config.go configCompareByCreationTime + httproute.go dedupe: the first VS keeps the domain",
            [ReviewsSvc,
                Vs("bookinfo", "newer", $$"""{"hosts": ["reviews"], "http": [{{ToV1}}]}""", """{"creationTimestamp": "2026-02-01T00:00:00Z"}"""),
                Vs("bookinfo", "older", $$"""{"hosts": ["reviews"], "http": [{{ToV2}}]}""", """{"creationTimestamp": "2026-01-01T00:00:00Z"}""")],
            Req(), "Routed bookinfo/older #0 [reviews.bookinfo:v2=100]"),
        ["PrivateVsBeatsPublicDuplicate"] = new("virtualservice.go SelectVirtualServices: private, then exported, then public",
            [ReviewsSvc,
                Vs("bookinfo", "a-public", $$"""{"hosts": ["reviews"], "http": [{{ToV1}}]}"""),
                Vs("bookinfo", "b-private", $$"""{"hosts": ["reviews"], "exportTo": ["."], "http": [{{ToV2}}]}""")],
            Req(), "Routed bookinfo/b-private #0 [reviews.bookinfo:v2=100]"),
        ["NoVirtualServiceIsTheServiceDefault"] = new("route.go BuildSidecarVirtualHostWrapper: services without a VS get a default route",
            [ReviewsSvc], Req(), "ServiceDefault - - [reviews.bookinfo=100]", r => r.Retries is { MeshDefault: true, Attempts: 2 }),

        // ---- weights -------------------------------------------------------------------------------------------------
        ["WeightsSummingTo100"] = new("istio.io HTTPRouteDestination.weight",
            Reviews("""[{"route": [{"destination": {"host": "reviews", "subset": "v1"}, "weight": 25}, {"destination": {"host": "reviews", "subset": "v2"}, "weight": 75}]}]"""),
            Req(), "Routed bookinfo/reviews #0 [reviews.bookinfo:v1=25, reviews.bookinfo:v2=75]"),
        ["WeightsNotSumming100AreShares"] = new("istio.io HTTPRouteDestination.weight: proportion of traffic = weight / sum (Envoy weighted clusters)",
            Reviews("""[{"route": [{"destination": {"host": "reviews", "subset": "v1"}, "weight": 1}, {"destination": {"host": "reviews", "subset": "v2"}, "weight": 3}]}]"""),
            Req(), "Routed bookinfo/reviews #0 [reviews.bookinfo:v1=25, reviews.bookinfo:v2=75]"),
        ["OmittedWeightIsZeroAmongSeveral"] = new("route.go applyHTTPRouteDestination: weight 0 clusters are left out when there are several",
            Reviews("""[{"route": [{"destination": {"host": "reviews", "subset": "v1"}}, {"destination": {"host": "reviews", "subset": "v2"}, "weight": 40}]}]"""),
            Req(), "Routed bookinfo/reviews #0 [reviews.bookinfo:v1=0, reviews.bookinfo:v2=100]"),
        ["SingleDestinationGetsAll"] = new("route.go applyHTTPRouteDestination: len(route) == 1 ignores the weight",
            Reviews("""[{"route": [{"destination": {"host": "reviews", "subset": "v3"}, "weight": 30}]}]"""), Req(), "Routed bookinfo/reviews #0 [reviews.bookinfo:v3=100]"),

        // ---- mirror, fault, timeout, retries, unsupported ------------------------------------------------------------------
        ["MirrorWithoutPercentageIsAll"] = new("route.go MirrorPercent: default 100 percent",
            Reviews("""[{"route": [{"destination": {"host": "reviews", "subset": "v1"}}], "mirror": {"host": "reviews", "subset": "v2"}}]"""),
            Req(), "Routed bookinfo/reviews #0 [reviews.bookinfo:v1=100]", r => r.Mirrors is [{ Subset: "v2", Percent: 100 }]),
        ["MirrorWithPercentage"] = new("route.go MirrorPercent: mirrorPercentage.value",
            Reviews("""[{"route": [{"destination": {"host": "reviews", "subset": "v1"}}], "mirror": {"host": "reviews", "subset": "v2"}, "mirrorPercentage": {"value": 12.5}}]"""),
            Req(), "Routed bookinfo/reviews #0 [reviews.bookinfo:v1=100]", r => r.Mirrors is [{ Percent: 12.5 }]),
        ["MirrorWithZeroPercentIsOff"] = new("route.go MirrorPercent: an explicit 0 does not mirror",
            Reviews("""[{"route": [{"destination": {"host": "reviews", "subset": "v1"}}], "mirror": {"host": "reviews", "subset": "v2"}, "mirrorPercentage": {"value": 0}}]"""),
            Req(), "Routed bookinfo/reviews #0 [reviews.bookinfo:v1=100]", r => r.Mirrors.IsEmpty),
        ["MirrorsListEachWithPercentage"] = new("route.go MirrorPercentByPolicy: mirrors[].percentage, default 100",
            Reviews("""[{"route": [{"destination": {"host": "reviews", "subset": "v1"}}], "mirrors": [{"destination": {"host": "shadow.test"}, "percentage": {"value": 5}}, {"destination": {"host": "audit"}}]}]"""),
            Req(), "Routed bookinfo/reviews #0 [reviews.bookinfo:v1=100]", r => r.Mirrors is [{ Host: "shadow.test", Percent: 5 }, { Host: "audit.bookinfo.svc.cluster.local", Percent: 100 }]),
        ["FaultIsReported"] = new("route.go TranslateFault: abort percentage and status",
            Reviews("""[{"route": [{"destination": {"host": "reviews", "subset": "v2"}}], "fault": {"abort": {"httpStatus": 503, "percentage": {"value": 50}}}}]"""),
            Req(), "Routed bookinfo/reviews #0 [reviews.bookinfo:v2=100]", r => r.Fault is { Abort: { HttpStatus: 503, Percent: 50 }, Delay: null }),
        ["FaultWithoutPercentageAffectsNone"] = new("route.go TranslateFault: abort without percentage leaves Envoy's percentage at 0",
            Reviews("""[{"route": [{"destination": {"host": "reviews", "subset": "v2"}}], "fault": {"delay": {"fixedDelay": "7s"}}}]"""),
            Req(), "Routed bookinfo/reviews #0 [reviews.bookinfo:v2=100]", r => r.Fault is { Delay: { FixedDelay: "7s", Percent: 0 } }),
        ["TimeoutAndRetriesAreReported"] = new("route.go setTimeout and applyHTTPRouteDestination: the rule's timeout and retries",
            Reviews("""[{"route": [{"destination": {"host": "reviews", "subset": "v1"}}], "timeout": "3s", "retries": {"attempts": 4, "perTryTimeout": "1s", "retryOn": "5xx"}}]"""),
            Req(), "Routed bookinfo/reviews #0 [reviews.bookinfo:v1=100]", r => r is { Timeout: "3s", Retries: { Attempts: 4, PerTryTimeout: "1s", RetryOn: "5xx", MeshDefault: false } }),
        ["NoRetriesMeansMeshDefault"] = new("route.go applyHTTPRouteDestination: nil retries → mesh default (retry.go: 2 attempts); setTimeout: no timeout",
            Reviews($"[{ToV1}]"), Req(), "Routed bookinfo/reviews #0 [reviews.bookinfo:v1=100]", r => r is { Timeout: null, Retries: { Attempts: 2, MeshDefault: true } }),
        ["DelegateIsNotSimulated"] = new("virtualservice.go MergeHTTPRoutes: delegation merges another VS — not simulated",
            Reviews("""[{"delegate": {"name": "reviews-team", "namespace": "team"}}]"""), Req(), "NotSimulated bookinfo/reviews #0 []"),
        ["TcpOnlyIsNotSimulated"] = new("istio.io VirtualService.tcp/tls: TCP and TLS routes are not simulated",
            [ReviewsSvc, Vs("bookinfo", "reviews", """{"hosts": ["reviews"], "tcp": [{"route": [{"destination": {"host": "reviews"}}]}]}""")], Req(), "NotSimulated bookinfo/reviews - []"),
        ["RedirectIsReported"] = new("route.go TranslateRoute: redirect instead of destinations",
            Reviews("""[{"redirect": {"uri": "/v2"}}]"""), Req(), "Redirect bookinfo/reviews #0 []"),
    };

    public static TheoryData<string> CaseNames => [.. Cases.Keys];

    [Fact]
    public void TheTableHasAtLeastFortyCases() => Assert.True(Cases.Count >= 40, $"{Cases.Count} cases");

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Simulate_FollowsIstio(string name)
    {
        var c = Cases[name];
        var result = RequestSimulator.Simulate(MeshSnapshot.From(c.Objects), c.Request);

        Assert.True(c.Expected == Summary(result), $"{name} ({c.Source})\nexpected {c.Expected}\nactual   {Summary(result)}\n{string.Join("\n", result.Explanation)}");
        Assert.True(c.Also?.Invoke(result) ?? true, $"{name}: extra check failed ({c.Source})\n{string.Join("\n", result.Explanation)}");
        Assert.NotEmpty(result.Explanation);
    }

    private static string Summary(SimulationResult r) =>
        $"{r.Outcome} {(r.VirtualService is { } vs ? $"{vs.Namespace}/{vs.Name}" : "-")} {(r.Rule is { } rule ? $"#{rule.Index}" : "-")} " +
        $"[{string.Join(", ", r.Destinations.Select(d => $"{Short(d.Host)}{(d.Subset is null ? "" : ":" + d.Subset)}={d.Percent.ToString("0.##", CultureInfo.InvariantCulture)}"))}]";

    private static string Short(string host) => host.EndsWith(".svc.cluster.local", StringComparison.Ordinal) ? host[..^".svc.cluster.local".Length] : host;
}
