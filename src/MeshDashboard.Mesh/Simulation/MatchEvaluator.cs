using System.Text.Json.Nodes;
using MeshDashboard.Mesh.Istio;
using MeshDashboard.Mesh.Kubernetes;

namespace MeshDashboard.Mesh.Simulation;

/// <summary>The verdict on one match entry: matched, not matched, or not simulated (null), with the reason in words.</summary>
internal readonly record struct MatchVerdict(bool? Matched, string Reason);

/// <summary>
/// Decides whether one <c>http[].match[]</c> entry fits a request, as istiod translates it and Envoy evaluates it
/// (pilot/pkg/networking/core/route/route.go: <c>TranslateRoute</c>, <c>sourceMatchHTTP</c>, <c>TranslateRouteMatch</c>):
/// <list type="number">
/// <item><c>port</c> is compared with the port the request is sent to;</item>
/// <item>with <c>gateways</c> in the entry, the entry applies when one of them is where the request is, and then
/// <c>sourceLabels</c> and <c>sourceNamespace</c> are not checked; otherwise <c>sourceLabels</c> must be a subset of the
/// caller's labels and <c>sourceNamespace</c> equal to the caller's namespace;</item>
/// <item>the path (without query string) by exact/prefix/regex, case-insensitively for exact and prefix when
/// <c>ignoreUriCase</c> (Envoy ignores case_sensitive for regexes);</item>
/// <item>headers (names case-insensitive), <c>withoutHeaders</c> (inverted; a missing header is treated as empty
/// except for a presence match, so a missing header satisfies <c>{exact: "x"}</c> but not <c>{exact: ""}</c>),
/// method, authority and scheme as the pseudo-headers, and query parameters (exact, prefix, regex; <c>{}</c> or
/// regex <c>*</c> = present; the first value, percent-decoded).</item>
/// </list>
/// All conditions of one entry must hold.
/// </summary>
internal sealed class MatchEvaluator(RequestFacts request, string virtualServiceNamespace)
{
    public MatchVerdict Evaluate(JsonObject match)
    {
        var failures = new List<string>();
        string? notSimulated = null;

        if (match.Int("port") is { } port && port != 0)
        {
            if (request.Port is not { } actual)
            {
                failures.Add($"port {port} (the request's port is unknown)");
            }
            else if (actual != port)
            {
                failures.Add($"port {port} ≠ {actual}");
            }
        }

        var gateways = match.Strings("gateways");
        if (gateways.Count > 0)
        {
            var resolved = gateways.Select(g => GatewayNames.Resolve(g, virtualServiceNamespace)).ToList();
            if (!resolved.Contains(request.Where))
            {
                failures.Add($"gateways [{string.Join(", ", resolved)}] do not include {request.Where}");
            }
        }
        else
        {
            var wanted = match.Obj("sourceLabels").ToStringMap();
            var missing = wanted.Where(l => !request.SourceLabels.TryGetValue(l.Key, out var v) || v != l.Value).ToList();
            if (missing.Count > 0)
            {
                failures.Add($"sourceLabels {string.Join(", ", missing.Select(l => $"{l.Key}={l.Value}"))} not on the caller");
            }
            if (match.Str("sourceNamespace") is { Length: > 0 } sourceNamespace && sourceNamespace != request.SourceNamespace)
            {
                failures.Add($"sourceNamespace {sourceNamespace} ≠ {request.SourceNamespace ?? "(unknown)"}");
            }
        }

        if (StringMatch.From(match["uri"]) is { } uri)
        {
            var ignoreCase = match.Bool("ignoreUriCase") == true;
            var result = Test(uri, request.PathOnly, ignoreCase && uri.Kind != MatchKind.Regex, out var refusal);
            Record(result, refusal, uri.Describe("uri") + (ignoreCase ? " (ignoring case)" : ""), $"path {request.PathOnly}");
        }

        foreach (var (name, condition) in Pairs(match.Obj("headers")))
        {
            if (name.StartsWith('@'))
            {
                notSimulated ??= $"header {name} matches JWT claims, which are not simulated";
                continue;
            }
            var value = request.Header(name);
            string? refusal = null;
            var result = value is null ? (bool?)false : condition.Kind == MatchKind.Present ? true : Test(condition, value, false, out refusal);
            Record(result, refusal, condition.Describe(name), value is null ? $"{name} absent" : $"{name}: {value}");
        }

        foreach (var (name, condition) in Pairs(match.Obj("withoutHeaders")))
        {
            if (name.StartsWith('@'))
            {
                notSimulated ??= $"header {name} matches JWT claims, which are not simulated";
                continue;
            }
            var value = request.Header(name);
            bool? fits;
            string? refusal = null;
            if (condition.Kind == MatchKind.Present)
            {
                fits = value is not null;
            }
            else
            {
                // treat_missing_header_as_empty: a missing header is tested as "".
                fits = Test(condition, value ?? "", false, out refusal);
            }
            Record(fits is null ? null : !fits, refusal, "not " + condition.Describe(name), value is null ? $"{name} absent" : $"{name}: {value}");
        }

        Pseudo(match, "method", request.Method);
        Pseudo(match, "authority", request.Authority);
        Pseudo(match, "scheme", request.Scheme);

        foreach (var (name, condition) in Pairs(match.Obj("queryParams")))
        {
            var value = request.Query(name);
            bool? fits;
            string? refusal = null;
            if (value is null)
            {
                fits = false;
            }
            else if (condition.Kind == MatchKind.Present)
            {
                fits = true;
            }
            else
            {
                fits = Test(condition, value, false, out refusal);
            }
            Record(fits, refusal, condition.Describe("?" + name), value is null ? $"?{name} absent" : $"?{name}={value}");
        }

        if (failures.Count > 0)
        {
            return new MatchVerdict(false, string.Join("; ", failures));
        }
        if (notSimulated is not null)
        {
            return new MatchVerdict(null, notSimulated);
        }
        return new MatchVerdict(true, Describe(match));

        void Pseudo(JsonObject m, string field, string actual)
        {
            if (StringMatch.From(m[field]) is { } condition)
            {
                string? refusal = null;
                var fits = condition.Kind == MatchKind.Present ? true : Test(condition, actual, false, out refusal);
                Record(fits, refusal, condition.Describe(field), $"{field} {actual}");
            }
        }

        void Record(bool? fits, string? refusal, string condition, string actual)
        {
            if (fits is null)
            {
                notSimulated ??= $"{condition}: {refusal}";
            }
            else if (fits == false)
            {
                failures.Add($"{condition} — but {actual}");
            }
        }
    }

    /// <summary>Evaluates a StringMatch on a value: exact and prefix compare ordinally, regex is an RE2 full match.</summary>
    internal static bool? Test(StringMatch condition, string value, bool ignoreCase, out string? refusal)
    {
        refusal = null;
        var comparison = ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        return condition.Kind switch
        {
            MatchKind.Exact => string.Equals(value, condition.Value, comparison),
            MatchKind.Prefix => value.StartsWith(condition.Value, comparison),
            // `*` is not RE2: istiod turns it into a presence match (route.go canBeConvertedToPresentMatch).
            MatchKind.Regex when condition.Value == "*" => true,
            MatchKind.Regex => Re2Regex.FullMatch(condition.Value, value, out refusal),
            _ => true,
        };
    }

    private static IEnumerable<(string Name, StringMatch Match)> Pairs(JsonObject? map) =>
        map is null ? [] : map.Select(p => (p.Key, StringMatch.From(p.Value) ?? new StringMatch(MatchKind.Present, "")));

    private static string Describe(JsonObject match)
    {
        var view = MatchView.From(match);
        var parts = new List<string>();
        if (!view.IsEmpty || match.Count > 0)
        {
            var described = view.Describe();
            if (described != "everyone" && described != "other conditions")
            {
                parts.Add(described.Replace(" and other conditions", "", StringComparison.Ordinal));
            }
        }
        if (match.Int("port") is { } port)
        {
            parts.Add($"port {port}");
        }
        if (match.Strings("gateways") is { Count: > 0 } gateways)
        {
            parts.Add($"gateways {string.Join(", ", gateways)}");
        }
        if (match.Obj("sourceLabels") is { Count: > 0 } labels)
        {
            parts.Add("sourceLabels " + string.Join(", ", labels.ToStringMap().Select(l => $"{l.Key}={l.Value}")));
        }
        if (match.Str("sourceNamespace") is { Length: > 0 } ns)
        {
            parts.Add($"sourceNamespace {ns}");
        }
        return parts.Count == 0 ? "matches every request" : string.Join(" and ", parts);
    }
}
