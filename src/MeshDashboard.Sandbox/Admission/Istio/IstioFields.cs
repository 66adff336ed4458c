using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MeshDashboard.Mesh.Operations;
using static MeshDashboard.Sandbox.Admission.Istio.IstioFindings;

namespace MeshDashboard.Sandbox.Admission.Istio;

/// <summary>
/// Field checks istiod shares across kinds (istio/istio pkg/config/validation/validation.go and agent/validation.go):
/// durations, percentages, ports, statuses, string matches and regexes, header names and values, gateway names,
/// destinations and exportTo. Each adds its findings under the path it is given.
/// </summary>
internal static partial class IstioFields
{
    /// <summary><c>ValidateDuration</c>: at least 1ms, in whole milliseconds. A value that is no string is the schema's.</summary>
    public static void Duration(JsonNode? node, string path, IstioFindings findings)
    {
        if (Text(node) is { } text && Durations.Problem(text) is { } problem)
        {
            findings.Error(path, problem);
        }
    }

    /// <summary><c>validatePercentage</c>: 0, or 0.0001 to 100.</summary>
    public static void Percentage(JsonNode? percent, string path, IstioFindings findings)
    {
        if (percent is JsonObject && Number(percent["value"]) is { } value && (value < 0 || value > 100 || (value > 0 && value < 0.0001)))
        {
            findings.Error($"{path}.value", $"percentage {Format(value)} is neither 0.0, nor in range [0.0001, 100.0]");
        }
    }

    /// <summary>A mirror's share (<c>mirrorPercentage</c>, <c>mirrors[].percentage</c>): only 0 to 100, no lower step.</summary>
    public static void MirrorShare(JsonNode? percent, string path, IstioFindings findings)
    {
        if (percent is JsonObject && Number(percent["value"]) is { } value && (value < 0 || value > 100))
        {
            findings.Error($"{path}.value", $"mirror percentage must be between 0 and 100 (it has {Format(value)})");
        }
    }

    public static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary><c>ValidatePort</c>.</summary>
    public static string? Port(long? number) =>
        number is >= 1 and <= 65535 ? null : $"port number {number ?? 0} must be in the range 1..65535";

    /// <summary><c>validateHTTPStatus</c>: 200 to 600 (its message says 200-599; the check lets 600 through).</summary>
    public static string? HttpStatus(long status) =>
        status is >= 200 and <= 600 ? null : $"HTTP status {status} is not in range 200-599";

    /// <summary>
    /// <c>validateStringMatch</c> for headers, queryParams, scheme, method and authority: an empty prefix is refused (Envoy
    /// refuses it there), a regex must be RE2; a match with no kind (<c>{}</c>) is fine.
    /// </summary>
    public static void StringMatch(JsonNode? node, string path, IstioFindings findings)
    {
        if (node is not JsonObject match)
        {
            return;
        }
        OneKind(match, path, findings);
        if (match["prefix"] is { } prefix && Text(prefix) == "")
        {
            findings.Error($"{path}.prefix", "prefix string match should not be empty");
        }
        StringMatchRegex(match, path, findings);
    }

    /// <summary><c>validateStringMatchRegexp</c>, all istiod checks of a <c>uri</c> match: a regex, when that is the kind, is non-empty RE2.</summary>
    public static void StringMatchRegex(JsonNode? node, string path, IstioFindings findings)
    {
        if (node is not JsonObject match || match["regex"] is not { } regexNode)
        {
            return;
        }
        OneKind(match, path, findings);
        var regex = Text(regexNode) ?? "";
        if (regex.Length == 0)
        {
            findings.Error($"{path}.regex", "regex string match should not be empty");
        }
        else
        {
            Regex(regex, $"{path}.regex", findings);
        }
    }

    /// <summary>A StringMatch is a one-of: istiod cannot even read one that sets two kinds.</summary>
    private static void OneKind(JsonObject match, string path, IstioFindings findings)
    {
        if (match.Count(p => p.Key is "exact" or "prefix" or "regex") > 1)
        {
            findings.Error(path, "only one of exact, prefix or regex may be set");
        }
    }

    /// <summary><c>validateStringRegexp</c>: at most 1,024 bytes, and RE2's grammar (not .NET's).</summary>
    public static void Regex(string pattern, string path, IstioFindings findings)
    {
        if (Re2.Check(pattern) is { } why)
        {
            findings.Error(path, $"\"{Shorten(pattern)}\": {why}; Istio uses RE2 style regex-based match (https://github.com/google/re2/wiki/Syntax)");
        }
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..77] + "...";

    /// <summary><c>ValidateHTTPHeaderNameOrJwtClaimRoute</c>: a token in any case, a pseudo-header, or a JWT claim route.</summary>
    public static void MatchHeaderName(string name, string path, IstioFindings findings)
    {
        if (name.Length == 0)
        {
            findings.Error(path, "header name cannot be empty");
        }
        else if (!HttpHeaders.IsMatchName(name))
        {
            findings.Error(path, $"header name {name} is not a valid header name");
        }
    }

    /// <summary>
    /// <c>headers.request</c>/<c>headers.response</c> of a rule or destination: names and values as istiod's
    /// <c>ValidateHTTPHeaderWithAuthorityOperationName</c> (request add/set may name :authority or host),
    /// <c>ValidateHTTPHeaderOperationName</c> (everything else: no host, no pseudo-header) and <c>ValidateHTTPHeaderValue</c>.
    /// </summary>
    public static void HeaderOperations(JsonNode? headers, string path, IstioFindings findings)
    {
        if (headers is not JsonObject operations)
        {
            return;
        }
        foreach (var side in new[] { "request", "response" })
        {
            if (operations[side] is not JsonObject ops)
            {
                continue;
            }
            var p = $"{path}.{side}";
            foreach (var verb in new[] { "add", "set" })
            {
                foreach (var (name, value) in StringMap(ops[verb]))
                {
                    var problem = side == "request" ? SetHeaderNameProblem(name) : OperationNameProblem(name);
                    if (problem is not null)
                    {
                        findings.Error($"{p}.{verb}", problem);
                    }
                    if (HeaderValueProblem(value ?? "") is { } valueProblem)
                    {
                        findings.Error($"{p}.{verb}.{name}", valueProblem);
                    }
                }
            }
            foreach (var name in Strings(ops["remove"]))
            {
                if (OperationNameProblem(name) is { } problem)
                {
                    findings.Error($"{p}.remove", problem);
                }
            }
        }
    }

    private static bool IsAuthority(string name) =>
        name.Equals(":authority", StringComparison.OrdinalIgnoreCase) || name.Equals("host", StringComparison.OrdinalIgnoreCase);

    private static string? SetHeaderNameProblem(string name) =>
        name.Length == 0 ? "header name cannot be empty"
        : name.StartsWith(':') && !IsAuthority(name) ? $"invalid header \"{name}\": header cannot have \":\" prefix"
        : null;

    private static string? OperationNameProblem(string name) =>
        name.Length == 0 ? "header name cannot be empty"
        : name.Equals("host", StringComparison.OrdinalIgnoreCase) ? $"invalid header \"{name}\": cannot set Host header"
        : name.StartsWith(':') ? $"invalid header \"{name}\": header cannot have \":\" prefix"
        : null;

    /// <summary>The value of an authority the rule sets (rewrite.authority, or a request set/add of :authority or host).</summary>
    public static IEnumerable<string> AuthoritiesSet(JsonNode? headers) =>
        new[] { "set", "add" }.SelectMany(verb => StringMap(headers?["request"]?[verb]))
            .Where(p => IsAuthority(p.Key)).Select(p => p.Value ?? "");

    [GeneratedRegex("^[^\u0000-\u0008\u000A-\u001F\u007F]*$")]
    private static partial Regex HeaderValueCharacters();

    /// <summary>
    /// <c>ValidateHTTPHeaderValue</c>: no control character but tab, and every '%' either doubled or opening an Envoy
    /// variable (<c>%HOSTNAME%</c>, <c>%REQ(x-id)%</c>) that is closed.
    /// </summary>
    public static string? HeaderValueProblem(string value)
    {
        if (!HeaderValueCharacters().IsMatch(value))
        {
            return $"header value configuration {value} is invalid";
        }
        return EnvoyHeaderValue.Problem(value) is { } problem ? $"header value configuration: {problem}" : null;
    }

    /// <summary>
    /// <c>validateGatewayNames</c>: each <c>namespace/name</c> with both parts DNS labels, or a bare name that is an FQDN
    /// (a dotted one is the legacy form: a warning). As istiod does, the first bare name ends the check of the list.
    /// </summary>
    public static void GatewayNames(JsonNode? node, string path, IstioFindings findings)
    {
        var names = Strings(node);
        for (var i = 0; i < names.Count; i++)
        {
            var name = names[i];
            var p = $"{path}[{i}]";
            var slash = name.IndexOf('/', StringComparison.Ordinal);
            if (slash < 0)
            {
                if (name.Contains('.', StringComparison.Ordinal))
                {
                    var parts = name.Split('.');
                    findings.Warn(p, $"using legacy gatewayName format \"{name}\"; prefer the <namespace>/<name> format: \"{parts[1]}/{parts[0]}\"");
                }
                if (IstioNames.Fqdn(name) is { } problem)
                {
                    findings.Error(p, problem);
                }
                return;
            }
            var ns = name[..slash];
            var gateway = name[(slash + 1)..];
            if (ns.Length == 0 || gateway.Length == 0)
            {
                findings.Error(p, "config namespace and gateway name cannot be empty");
            }
            if (!IstioNames.IsLabel(ns))
            {
                findings.Error(p, $"invalid value for namespace: \"{ns}\"");
            }
            if (!IstioNames.IsLabel(gateway))
            {
                findings.Error(p, $"invalid value for gateway name: \"{gateway}\"");
            }
        }
    }

    /// <summary><c>validateDestination</c>: a host that is a (wildcard) FQDN but not "*", a subset that is a label, a port 1..65535.</summary>
    public static void Destination(JsonNode? node, string path, IstioFindings findings)
    {
        if (node is not JsonObject destination)
        {
            return;
        }
        var host = Text(destination["host"]) ?? "";
        if (host == "*")
        {
            findings.Error($"{path}.host", "invalid destination host *");
        }
        else if (IstioNames.WildcardDomain(host) is { } problem)
        {
            findings.Error($"{path}.host", problem);
        }
        if (Text(destination["subset"]) is { Length: > 0 } subset && SubsetNameProblem(subset) is { } subsetProblem)
        {
            findings.Error($"{path}.subset", subsetProblem);
        }
        if (destination["port"] is JsonObject port && Port(Integer(port["number"])) is { } portProblem)
        {
            findings.Error($"{path}.port.number", portProblem);
        }
    }

    /// <summary><c>validateSubsetName</c>: a DNS label, uppercase allowed.</summary>
    public static string? SubsetNameProblem(string name) =>
        name.Length == 0 ? "subset name cannot be empty"
        : IstioNames.IsLabel(name) ? null
        : $"subset name is invalid: {name}";

    /// <summary>
    /// <c>validateExportTo</c>: entries <c>.</c>, <c>*</c> or namespace labels, no duplicates (<c>.</c> is the object's own
    /// namespace), <c>*</c> alone; <c>~</c> only for a ServiceEntry, and then alone. A DestinationRule with a workload
    /// selector exports to its own namespace only.
    /// </summary>
    public static void ExportTo(JsonNode? node, string path, string ns, IstioFindings findings, bool serviceEntry = false, bool selectorRule = false)
    {
        var entries = Strings(node);
        if (entries.Count == 0)
        {
            return;
        }
        var seen = new HashSet<string>();
        foreach (var entry in entries)
        {
            var key = entry == "." ? ns : entry;
            if (seen.Contains(key))
            {
                findings.Error(path, key != entry
                    ? $"duplicate entries in exportTo: . and current namespace {ns}"
                    : $"duplicate entries in exportTo for entry {entry}");
            }
            else if (serviceEntry && entry == "~")
            {
                seen.Add(key);
            }
            else if (key == "~")
            {
                findings.Error(path, "exportTo ~ (none) is not allowed for Istio configuration objects");
            }
            else if (key != "*" && key != "." && !IstioNames.IsLabel(key))
            {
                findings.Error(path, "only .,*, or a valid DNS 1123 label is allowed as exportTo entry");
            }
            else
            {
                seen.Add(key);
            }
        }
        if (selectorRule && seen.Count > 0)
        {
            if (!seen.Contains(ns))
            {
                findings.Error(path, "destination rule with workload selector cannot have exportTo beyond current namespace");
            }
            else if (seen.Count > 1)
            {
                findings.Error(path, "destination rule with workload selector cannot have multiple entries in exportTo");
            }
        }
        if (seen.Contains("*") && entries.Count > 1)
        {
            findings.Error(path, "cannot have both public (*) and non-public exportTo values for a resource");
        }
        if (seen.Contains("~") && entries.Count > 1)
        {
            findings.Error(path, "cannot export service entry to no one (~) and someone");
        }
    }

    /// <summary><c>labels.Instance.Validate</c> on a map of labels.</summary>
    public static void Labels(JsonNode? node, string path, IstioFindings findings)
    {
        foreach (var problem in IstioNames.LabelProblems(StringMap(node)))
        {
            findings.Error(path, problem);
        }
    }
}
