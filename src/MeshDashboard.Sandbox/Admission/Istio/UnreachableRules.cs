using System.Text.Json.Nodes;
using static MeshDashboard.Sandbox.Admission.Istio.IstioFindings;

namespace MeshDashboard.Sandbox.Admission.Istio;

/// <summary>
/// The warnings istiod gives for rules no request reaches (istio/istio pkg/config/validation/validation.go,
/// <c>analyzeUnreachableHTTPRules</c>, <c>analyzeUnreachableTCPRules</c>, <c>analyzeUnreachableTLSRules</c>): a rule after
/// one without matches, a match entry identical to an earlier rule's, and a uri prefix match covered by an earlier
/// prefix match with the same other conditions (istiod's <c>coveredValidation</c>, which reads a missing method as GET).
/// They are warnings: the object is accepted.
/// </summary>
internal static class UnreachableRules
{
    public static void Warn(JsonObject spec, IstioFindings findings)
    {
        foreach (var kind in new[] { "http", "tcp", "tls" })
        {
            Rules(Items(spec[kind]), kind, findings);
        }
    }

    private static string RuleName(JsonObject rule, int index, string kind) =>
        kind == "http" && Text(rule["name"]) is { Length: > 0 } name ? $"\"{name}\"" : $"#{index}";

    private static void Rules(IReadOnlyList<JsonNode?> rules, string kind, IstioFindings findings)
    {
        var seen = new List<(JsonNode Match, int Rule)>();
        var prefixes = new List<PrefixMatch>();
        var catchAll = -1;
        for (var r = 0; r < rules.Count; r++)
        {
            if (rules[r] is not JsonObject rule)
            {
                continue;
            }
            var name = RuleName(rule, r, kind);
            var matches = Items(rule["match"]);
            if (matches.Count == 0)
            {
                if (catchAll >= 0)
                {
                    findings.Warn($"spec.{kind}[{r}]", $"virtualService rule {name} not used (only the last rule can have no matches)");
                }
                catchAll = r;
                continue;
            }
            var duplicates = 0;
            for (var m = 0; m < matches.Count; m++)
            {
                if (catchAll >= 0)
                {
                    findings.Warn($"spec.{kind}[{r}]", $"virtualService rule {name} not used (route without matches defined before)");
                    continue;
                }
                var match = matches[m];
                var earlier = seen.FindIndex(s => JsonNode.DeepEquals(s.Match, match));
                if (earlier >= 0)
                {
                    var other = seen[earlier].Rule;
                    findings.Warn($"spec.{kind}[{r}].match[{m}]", $"virtualService rule {name} match #{m} is not used (duplicate/overlapping match in rule {RuleName((JsonObject)rules[other]!, other, kind)})");
                    duplicates++;
                    continue;
                }
                seen.Add((match?.DeepClone() ?? JsonValue.Create(0), r));
                if (kind == "http" && match is JsonObject entry && PrefixMatch.From(entry, name, m) is { } prefix)
                {
                    prefixes.Add(prefix);
                }
            }
            if (duplicates == matches.Count)
            {
                findings.Warn($"spec.{kind}[{r}]", $"virtualService rule {name} not used (all matches used by prior rules)");
            }
        }
        for (var a = 0; a < prefixes.Count; a++)
        {
            for (var b = a + 1; b < prefixes.Count; b++)
            {
                if (prefixes[b].Prefix != prefixes[a].Prefix && prefixes[a].Covers(prefixes[b]))
                {
                    findings.Warn("spec.http", $"virtualService rule {prefixes[b].Rule} match {prefixes[b].MatchName} of prefix {prefixes[b].Prefix} is not used (duplicate/overlapping match in rule {prefixes[a].MatchName} of prefix {prefixes[a].Prefix} on {prefixes[a].Rule})");
                }
            }
        }
    }

    /// <summary>A match entry with a uri prefix, reduced to what istiod compares ("exact:" or "prefix:" plus the value).</summary>
    private sealed record PrefixMatch(string Rule, string MatchName, string Prefix, long Port, string Method, string Authority,
        Dictionary<string, string> Headers, Dictionary<string, string> Query, Dictionary<string, string> Without)
    {
        public static PrefixMatch? From(JsonObject match, string rule, int index)
        {
            var prefix = Text(match["uri"]?["prefix"]);
            if (string.IsNullOrEmpty(prefix))
            {
                return null;
            }
            var method = ExactOrPrefix(match["method"]);
            return new PrefixMatch(rule, Text(match["name"]) is { Length: > 0 } n ? $"\"{n}\"" : $"#{index}", prefix, Integer(match["port"]) ?? 0,
                method.Length == 0 ? "exact:GET" : method, ExactOrPrefix(match["authority"]),
                Map(match["headers"]), Map(match["queryParams"]), Map(match["withoutHeaders"]));
        }

        private static string ExactOrPrefix(JsonNode? match) =>
            Text(match?["exact"]) is { Length: > 0 } exact ? "exact:" + exact
            : Text(match?["prefix"]) is { Length: > 0 } prefix ? "prefix:" + prefix
            : "";

        private static Dictionary<string, string> Map(JsonNode? node) =>
            (node as JsonObject ?? []).ToDictionary(p => p.Key, p => ExactOrPrefix(p.Value));

        /// <summary>istiod's <c>coveredValidation(this, later)</c>, as it is written.</summary>
        public bool Covers(PrefixMatch later)
        {
            if (!later.Prefix.StartsWith(Prefix, StringComparison.Ordinal) || later.Port != Port)
            {
                return false;
            }
            if (Method != later.Method && !Method.StartsWith(later.Method, StringComparison.Ordinal))
            {
                return false;
            }
            if (Authority != later.Authority && !Authority.StartsWith(later.Authority, StringComparison.Ordinal))
            {
                return false;
            }
            return SameOrWider(Headers, later.Headers) && SameOrWider(Query, later.Query) && SameOrWider(Without, later.Without);
        }

        private static bool SameOrWider(Dictionary<string, string> mine, Dictionary<string, string> theirs) =>
            mine.Count == theirs.Count && mine.All(p => theirs.TryGetValue(p.Key, out var other) && (p.Value == other || p.Value.StartsWith(other, StringComparison.Ordinal)));
    }
}
