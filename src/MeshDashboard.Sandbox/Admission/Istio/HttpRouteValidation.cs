using System.Text.Json.Nodes;
using MeshDashboard.Mesh.Operations;
using static MeshDashboard.Sandbox.Admission.Istio.IstioFindings;

namespace MeshDashboard.Sandbox.Admission.Istio;

/// <summary>
/// One HTTP rule of a VirtualService as istiod checks it (istio/istio pkg/config/validation/virtualservice.go,
/// <c>validateHTTPRoute</c>, and the field checks of validation.go it calls): what the rule does (route, redirect,
/// direct response or delegate, never two), its matches, header operations, CORS, fault, mirrors, redirect, direct
/// response, retries, rewrite, destinations and timeout.
/// </summary>
internal static class HttpRouteValidation
{
    /// <summary>The CORS methods istiod accepts: Go's net/http method names, and "*".</summary>
    private static readonly HashSet<string> CorsMethods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "CONNECT", "OPTIONS", "TRACE", "*"];

    private static readonly HashSet<string> GrpcStatuses = [.. SetFault.GrpcStatusCodes];

    private const int KiB = 1024;
    private const int MiB = 1024 * KiB;

    /// <summary>Checks <paramref name="rule"/>; <paramref name="inDelegate"/> when it belongs to a delegate VirtualService (one without hosts).</summary>
    public static void Validate(JsonObject rule, string path, bool inDelegate, IstioFindings findings)
    {
        Conflicts(rule, path, inDelegate, findings);
        Matches(rule, path, findings);
        IstioFields.HeaderOperations(rule["headers"], $"{path}.headers", findings);
        Cors(rule["corsPolicy"] as JsonObject, $"{path}.corsPolicy", findings);
        Fault(rule["fault"] as JsonObject, $"{path}.fault", findings);
        Mirrors(rule, path, findings);
        Redirect(rule["redirect"] as JsonObject, rule["match"], $"{path}.redirect", findings);
        DirectResponse(rule["directResponse"] as JsonObject, $"{path}.directResponse", findings);
        Retries(rule["retries"] as JsonObject, $"{path}.retries", findings);
        Rewrite(rule["rewrite"] as JsonObject, $"{path}.rewrite", findings);
        AuthorityRewrite(rule, path, findings);
        Destinations(rule["route"], $"{path}.route", findings, http: true);
        IstioFields.Duration(rule["timeout"], $"{path}.timeout", findings);
    }

    /// <summary><c>validateHTTPRouteConflict</c>: a rule does one thing; a root rule (with delegate) only delegates.</summary>
    private static void Conflicts(JsonObject rule, string path, bool inDelegate, IstioFindings findings)
    {
        var routes = Count(rule["route"]);
        var name = Text(rule["name"]) ?? "";
        if (!inDelegate && rule["delegate"] is not null)
        {
            if (rule["redirect"] is not null)
            {
                findings.Error(path, $"root HTTP route {name} must not specify redirect");
            }
            if (rule["route"] is not null)
            {
                findings.Error(path, $"root HTTP route {name} must not specify route");
            }
            return;
        }
        if (inDelegate && rule["delegate"] is not null)
        {
            findings.Error($"{path}.delegate", "delegate HTTP route cannot contain delegate");
        }
        if (rule["redirect"] is not null)
        {
            if (routes > 0)
            {
                findings.Error(path, "HTTP route cannot contain both route and redirect");
            }
            if (rule["fault"] is not null)
            {
                findings.Error(path, "HTTP route cannot contain both fault and redirect");
            }
            if (rule["rewrite"] is not null)
            {
                findings.Error(path, "HTTP route rule cannot contain both rewrite and redirect");
            }
            if (rule["directResponse"] is not null)
            {
                findings.Error(path, "HTTP route rule cannot contain both direct_response and redirect");
            }
        }
        else if (rule["directResponse"] is not null)
        {
            if (routes > 0)
            {
                findings.Error(path, "HTTP route cannot contain both route and direct_response");
            }
            if (rule["fault"] is not null)
            {
                findings.Error(path, "HTTP route cannot contain both fault and direct_response");
            }
            if (rule["rewrite"] is not null)
            {
                findings.Error(path, "HTTP route rule cannot contain both rewrite and direct_response");
            }
        }
        else if (routes == 0)
        {
            findings.Error(path, "HTTP route, redirect or direct_response is required");
        }
        if (rule["mirror"] is not null && Count(rule["mirrors"]) > 0)
        {
            findings.Error(path, "HTTP route cannot contain both mirror and mirrors");
        }
    }

    /// <summary><c>validateHTTPRouteMatchRequest</c>.</summary>
    private static void Matches(JsonObject rule, string path, IstioFindings findings)
    {
        var matches = Items(rule["match"]);
        for (var m = 0; m < matches.Count; m++)
        {
            if (matches[m] is not JsonObject match)
            {
                continue;
            }
            var p = $"{path}.match[{m}]";
            if (match["headers"] is JsonObject headers)
            {
                foreach (var (name, value) in headers)
                {
                    if (value is null)
                    {
                        findings.Error($"{p}.headers", $"header match {name} cannot be null");
                    }
                    IstioFields.MatchHeaderName(name, $"{p}.headers", findings);
                    IstioFields.StringMatch(value, $"{p}.headers.{name}", findings);
                }
            }
            if (match["withoutHeaders"] is JsonObject without)
            {
                foreach (var (name, value) in without)
                {
                    IstioFields.MatchHeaderName(name, $"{p}.withoutHeaders", findings);
                    // istiod reads a regex of exactly "*" as "the header is present", not as RE2.
                    if (value is not null && Text(value["regex"]) != "*")
                    {
                        IstioFields.StringMatch(value, $"{p}.withoutHeaders.{name}", findings);
                    }
                }
            }
            // An empty uri prefix is fine (Envoy takes it); scheme, method and authority may not have one.
            IstioFields.StringMatchRegex(match["uri"], $"{p}.uri", findings);
            foreach (var field in new[] { "scheme", "method", "authority" })
            {
                IstioFields.StringMatch(match[field], $"{p}.{field}", findings);
            }
            if (match["queryParams"] is JsonObject query)
            {
                foreach (var (name, value) in query)
                {
                    IstioFields.StringMatch(value, $"{p}.queryParams.{name}", findings);
                }
            }
            if (Integer(match["port"]) is { } port and not 0 && IstioFields.Port(port) is { } portProblem)
            {
                findings.Error($"{p}.port", portProblem);
            }
            IstioFields.Labels(match["sourceLabels"], $"{p}.sourceLabels", findings);
            IstioFields.GatewayNames(match["gateways"], $"{p}.gateways", findings);
            if (Text(match["sourceNamespace"]) is { Length: > 0 } sourceNamespace && !IstioNames.IsLabel(sourceNamespace))
            {
                findings.Error($"{p}.sourceNamespace", $"sourceNamespace match {sourceNamespace} is invalid");
            }
        }
    }

    /// <summary><c>validateCORSPolicy</c>.</summary>
    private static void Cors(JsonObject? cors, string path, IstioFindings findings)
    {
        if (cors is null)
        {
            return;
        }
        var origins = Items(cors["allowOrigins"]);
        for (var i = 0; i < origins.Count; i++)
        {
            var origin = origins[i] as JsonObject;
            var value = Text(origin?["exact"]) ?? Text(origin?["prefix"]) ?? Text(origin?["regex"]) ?? "";
            if (value.Length == 0)
            {
                findings.Error($"{path}.allowOrigins[{i}]", "'' is not a valid match type for CORS allow origins");
            }
            else
            {
                IstioFields.StringMatchRegex(origin, $"{path}.allowOrigins[{i}]", findings);
            }
        }
        foreach (var method in Strings(cors["allowMethods"]))
        {
            if (!CorsMethods.Contains(method))
            {
                findings.Error($"{path}.allowMethods", $"\"{method}\" is not a supported HTTP method");
            }
        }
        foreach (var field in new[] { "allowHeaders", "exposeHeaders" })
        {
            foreach (var name in Strings(cors[field]))
            {
                if (name.Length == 0)
                {
                    findings.Error($"{path}.{field}", "header name cannot be empty");
                }
                else if (name != "*" && !HttpHeaders.IsToken(name))
                {
                    findings.Error($"{path}.{field}", $"header name {name} is not a valid header name");
                }
            }
        }
        if (Text(cors["maxAge"]) is { } maxAge)
        {
            IstioFields.Duration(cors["maxAge"], $"{path}.maxAge", findings);
            if (Durations.TotalNanoseconds(maxAge) is { } ns && ns % 1_000_000_000m != 0)
            {
                findings.Error($"{path}.maxAge", "max_age duration is accurate only to seconds precision");
            }
        }
    }

    /// <summary>
    /// <c>validateHTTPFaultInjection</c>: an abort and/or a delay; an abort's status 200..600 or a known gRPC status name
    /// (http2Error is refused: not supported yet); an abort with no status is only a warning, a delay with no delay is fine;
    /// exponentialDelay is refused.
    /// </summary>
    private static void Fault(JsonObject? fault, string path, IstioFindings findings)
    {
        if (fault is null)
        {
            return;
        }
        if (fault["abort"] is null && fault["delay"] is null)
        {
            findings.Error(path, "HTTP fault injection must have an abort and/or a delay");
        }
        if (fault["abort"] is JsonObject abort)
        {
            IstioFields.Percentage(abort["percentage"], $"{path}.abort.percentage", findings);
            if (abort["grpcStatus"] is { } grpc)
            {
                if (!GrpcStatuses.Contains(Text(grpc) ?? ""))
                {
                    findings.Error($"{path}.abort.grpcStatus", $"gRPC status \"{Text(grpc)}\" is not supported; use a code name such as NOT_FOUND or UNAVAILABLE");
                }
            }
            else if (abort["http2Error"] is not null)
            {
                findings.Error($"{path}.abort.http2Error", "HTTP/2 abort fault injection not supported yet");
            }
            else if (abort["httpStatus"] is { } status)
            {
                if (IstioFields.HttpStatus(Integer(status) ?? 0) is { } problem)
                {
                    findings.Error($"{path}.abort.httpStatus", problem);
                }
            }
            else
            {
                findings.Warn($"{path}.abort", "abort configured, but error type not set");
            }
        }
        if (fault["delay"] is JsonObject delay)
        {
            IstioFields.Percentage(delay["percentage"], $"{path}.delay.percentage", findings);
            if (delay["fixedDelay"] is { } fixedDelay)
            {
                IstioFields.Duration(fixedDelay, $"{path}.delay.fixedDelay", findings);
            }
            else if (delay["exponentialDelay"] is { } exponential)
            {
                IstioFields.Duration(exponential, $"{path}.delay.exponentialDelay", findings);
                findings.Error($"{path}.delay.exponentialDelay", "exponentialDelay not supported yet");
            }
        }
    }

    private static void Mirrors(JsonObject rule, string path, IstioFindings findings)
    {
        if (rule["mirrorPercent"] is { } legacy)
        {
            if (Integer(legacy) is > 100 and var value)
            {
                findings.Error($"{path}.mirrorPercent", $"mirror_percent must have a max value of 100 (it has {value})");
            }
            findings.Warn($"{path}.mirrorPercent", "using deprecated setting \"mirrorPercent\", use \"mirrorPercentage\" instead");
        }
        IstioFields.MirrorShare(rule["mirrorPercentage"], $"{path}.mirrorPercentage", findings);
        IstioFields.Destination(rule["mirror"], $"{path}.mirror", findings);
        var mirrors = Items(rule["mirrors"]);
        for (var i = 0; i < mirrors.Count; i++)
        {
            var p = $"{path}.mirrors[{i}]";
            if (mirrors[i] is not JsonObject mirror)
            {
                findings.Error(p, "mirror cannot be null");
                continue;
            }
            if (mirror["destination"] is not JsonObject destination)
            {
                findings.Error($"{p}.destination", "destination is required for mirrors");
                continue;
            }
            IstioFields.Destination(destination, $"{p}.destination", findings);
            IstioFields.MirrorShare(mirror["percentage"], $"{p}.percentage", findings);
        }
    }

    /// <summary><c>validateHTTPRedirect</c>; like istiod, the first problem found is the one reported.</summary>
    private static void Redirect(JsonObject? redirect, JsonNode? matches, string path, IstioFindings findings)
    {
        if (redirect is null)
        {
            return;
        }
        var problem = RedirectProblem(redirect, matches);
        if (problem is not null)
        {
            findings.Error(path, problem);
        }
    }

    private static string? RedirectProblem(JsonObject redirect, JsonNode? matches)
    {
        var uri = HasText(redirect["uri"]);
        var prefixRewrite = HasText(redirect["prefixRewrite"]);
        if (uri && prefixRewrite)
        {
            return "redirect may only specify one of uri or prefix_rewrite";
        }
        if (prefixRewrite && Items(matches).OfType<JsonObject>().Any(m => m["uri"] is JsonObject u && u["prefix"] is null))
        {
            return "redirect prefix_rewrite requires all URI matches to use prefix match type";
        }
        var port = redirect["port"] is not null || redirect["derivePort"] is not null;
        if (!uri && !prefixRewrite && !HasText(redirect["authority"]) && !port && !HasText(redirect["scheme"]))
        {
            return "redirect must specify URI, authority, scheme, or port";
        }
        if (Integer(redirect["redirectCode"]) is { } code and not 0 && code is < 300 or > 399)
        {
            return $"{code} is not a valid redirect code, must be 3xx";
        }
        if (Text(redirect["scheme"]) is { Length: > 0 } scheme && scheme is not ("http" or "https"))
        {
            return "invalid redirect scheme, must be \"http\" or \"https\"";
        }
        return Integer(redirect["port"]) is > 0 and var number ? IstioFields.Port(number) : null;
    }

    /// <summary><c>validateHTTPDirectResponse</c>: a status 200..600, a body up to 1 MiB (a warning above 100 KiB).</summary>
    private static void DirectResponse(JsonObject? response, string path, IstioFindings findings)
    {
        if (response is null)
        {
            return;
        }
        if (response["body"] is JsonObject body)
        {
            var size = Text(body["string"]) is { } text ? System.Text.Encoding.UTF8.GetByteCount(text)
                : Text(body["bytes"]) is { } base64 ? DecodedLength(base64)
                : 0;
            if (size > MiB)
            {
                findings.Error($"{path}.body", "large direct_responses may impact control plane performance, must be less than 1MB");
            }
            else if (size > 100 * KiB)
            {
                findings.Warn($"{path}.body", "large direct_responses may impact control plane performance");
            }
        }
        if (IstioFields.HttpStatus(Integer(response["status"]) ?? 0) is { } problem)
        {
            findings.Error($"{path}.status", problem);
        }
    }

    private static int DecodedLength(string base64)
    {
        var padding = base64.EndsWith("==", StringComparison.Ordinal) ? 2 : base64.EndsWith('=') ? 1 : 0;
        return (base64.Length * 3 / 4) - padding;
    }

    /// <summary>
    /// <c>ValidateHTTPRetry</c>: attempts not negative; with 0 attempts (retries off) nothing else set; durations of 1ms or
    /// more; every comma-separated retryOn entry a condition Envoy knows or an HTTP status code.
    /// </summary>
    private static void Retries(JsonObject? retries, string path, IstioFindings findings)
    {
        if (retries is null)
        {
            return;
        }
        var attempts = Integer(retries["attempts"]) ?? 0;
        if (attempts < 0)
        {
            findings.Error($"{path}.attempts", "attempts cannot be negative");
        }
        if (attempts == 0 && (retries["perTryTimeout"] is not null || HasText(retries["retryOn"]) || retries["retryRemoteLocalities"] is not null))
        {
            findings.Error(path, "http retry policy configured when attempts are set to 0 (disabled)");
        }
        IstioFields.Duration(retries["perTryTimeout"], $"{path}.perTryTimeout", findings);
        if (Text(retries["retryOn"]) is { Length: > 0 } retryOn)
        {
            foreach (var policy in retryOn.Split(','))
            {
                if (!SetTimeoutAndRetries.IsRetryCondition(policy))
                {
                    findings.Error($"{path}.retryOn", $"\"{policy}\" is not a valid retryOn policy");
                }
            }
        }
        IstioFields.Duration(retries["backoff"], $"{path}.backoff", findings);
    }

    /// <summary><c>validateHTTPRewrite</c>: a uri or a uriRegexRewrite (not both), or an authority; a regex rewrite has both halves.</summary>
    private static void Rewrite(JsonObject? rewrite, string path, IstioFindings findings)
    {
        if (rewrite is null)
        {
            return;
        }
        var uri = HasText(rewrite["uri"]);
        var regexRewrite = rewrite["uriRegexRewrite"] as JsonObject;
        if (uri && regexRewrite is not null)
        {
            findings.Error(path, "rewrite may only contain one of URI or UriRegexRewrite");
            return;
        }
        if (!uri && regexRewrite is null && !HasText(rewrite["authority"]))
        {
            findings.Error(path, "rewrite must specify at least one of URI, UriRegexRewrite, or authority. Only one of URI or UriRegexRewrite may be specified");
            return;
        }
        if (regexRewrite is not null)
        {
            var match = Text(regexRewrite["match"]) ?? "";
            if (match.Length == 0 || !HasText(regexRewrite["rewrite"]))
            {
                findings.Error($"{path}.uriRegexRewrite", "UriRegexRewrite requires both Rewrite and Match fields to be specified");
            }
            else
            {
                IstioFields.Regex(match, $"{path}.uriRegexRewrite.match", findings);
            }
        }
    }

    /// <summary>
    /// <c>validateHTTPRouteDestinations</c> and <c>validateRouteDestinations</c>: each entry a destination, weights not
    /// negative, several destinations not all weighted 0; HTTP destinations may carry header operations.
    /// </summary>
    public static void Destinations(JsonNode? node, string path, IstioFindings findings, bool http)
    {
        var routes = Items(node);
        long total = 0;
        for (var r = 0; r < routes.Count; r++)
        {
            var p = $"{path}[{r}]";
            if (routes[r] is not JsonObject route)
            {
                findings.Error(p, "weight may not be nil");
                continue;
            }
            if (route["destination"] is not JsonObject destination)
            {
                findings.Error($"{p}.destination", "destination is required");
            }
            else
            {
                IstioFields.Destination(destination, $"{p}.destination", findings);
            }
            if (http)
            {
                IstioFields.HeaderOperations(route["headers"], $"{p}.headers", findings);
            }
            var weight = Integer(route["weight"]) ?? 0;
            if (weight < 0)
            {
                findings.Error($"{p}.weight", $"weight {weight} < 0");
            }
            total += weight;
        }
        if (routes.Count > 1 && total == 0)
        {
            findings.Error(path, "total destination weight = 0");
        }
    }

    /// <summary><c>validateAuthorityRewrite</c>: the authority is rewritten in one place only.</summary>
    private static void AuthorityRewrite(JsonObject rule, string path, IstioFindings findings)
    {
        var set = new List<string>();
        if (Text(rule["rewrite"]?["authority"]) is { Length: > 0 } authority)
        {
            set.Add(authority);
        }
        set.AddRange(IstioFields.AuthoritiesSet(rule["headers"]));
        if (set.Count > 1)
        {
            findings.Error($"{path}.headers", $"authority header cannot be set multiple times: have \"{set[0]}\", attempting to set \"{set[1]}\"");
        }
    }
}
