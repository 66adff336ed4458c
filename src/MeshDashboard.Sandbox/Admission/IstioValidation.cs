using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MeshDashboard.Sandbox.Api;

namespace MeshDashboard.Sandbox.Admission;

/// <summary>
/// The semantic rules istiod's validating webhook applies to networking objects (weights, percentages,
/// status codes, durations, match shapes, Gateway servers). Each refusal names the field.
/// </summary>
internal static class IstioValidation
{
    private static readonly HashSet<string> LoadBalancers = ["ROUND_ROBIN", "LEAST_CONN", "LEAST_REQUEST", "RANDOM", "PASSTHROUGH", "UNSPECIFIED"];
    private static readonly HashSet<string> ClientTlsModes = ["DISABLE", "SIMPLE", "MUTUAL", "ISTIO_MUTUAL"];
    private static readonly HashSet<string> ServerTlsModes = ["PASSTHROUGH", "SIMPLE", "MUTUAL", "AUTO_PASSTHROUGH", "ISTIO_MUTUAL", "OPTIONAL_MUTUAL"];

    public static List<FieldCause> Validate(ResourceType type, JsonObject candidate)
    {
        var errors = new List<FieldCause>();
        var spec = candidate["spec"] as JsonObject ?? [];
        switch (type.Kind)
        {
            case "VirtualService":
                ValidateVirtualService(spec, errors);
                break;
            case "DestinationRule":
                ValidateDestinationRule(spec, errors);
                break;
            case "Gateway":
                ValidateGateway(spec, errors);
                break;
        }
        return errors;
    }

    private static void ValidateVirtualService(JsonObject spec, List<FieldCause> errors)
    {
        var hosts = spec["hosts"] as JsonArray;
        var isDelegate = hosts is null || hosts.Count == 0;
        if (isDelegate && spec["gateways"] is JsonArray { Count: > 0 })
        {
            errors.Add(new("spec.hosts", "virtual service must have at least one host"));
        }
        for (var i = 0; hosts is not null && i < hosts.Count; i++)
        {
            var host = Text(hosts[i]);
            if (string.IsNullOrEmpty(host))
            {
                errors.Add(new($"spec.hosts[{i}]", "host must not be empty"));
            }
            else if (host.IndexOf('*', 1) >= 0 || host.Contains('/', StringComparison.Ordinal))
            {
                errors.Add(new($"spec.hosts[{i}]", $"invalid host \"{host}\": a wildcard may only be the first character and a host has no namespace"));
            }
        }
        if (spec["http"] is not JsonArray http)
        {
            if (spec["tcp"] is null && spec["tls"] is null)
            {
                errors.Add(new("spec.http", "http, tcp or tls must be provided in virtual service"));
            }
            return;
        }

        for (var i = 0; i < http.Count; i++)
        {
            var path = $"spec.http[{i}]";
            if (http[i] is not JsonObject rule)
            {
                continue;
            }
            var kinds = new[] { "route", "redirect", "directResponse", "delegate" }.Count(k => rule[k] is not null);
            if (kinds == 0)
            {
                errors.Add(new(path, "HTTP route, redirect, direct response or delegate is required"));
            }
            else if (rule["route"] is not null && rule["redirect"] is not null)
            {
                errors.Add(new(path, "HTTP route cannot contain both route and redirect"));
            }

            if (rule["match"] is JsonArray matches)
            {
                for (var m = 0; m < matches.Count; m++)
                {
                    if (matches[m] is JsonObject match)
                    {
                        ValidateMatch(match, $"{path}.match[{m}]", errors);
                    }
                }
            }

            if (rule["route"] is JsonArray routes)
            {
                long total = 0;
                for (var r = 0; r < routes.Count; r++)
                {
                    var routePath = $"{path}.route[{r}]";
                    if (routes[r] is not JsonObject route)
                    {
                        continue;
                    }
                    if (string.IsNullOrEmpty(Text(route["destination"]?["host"])))
                    {
                        errors.Add(new($"{routePath}.destination.host", "destination host is required"));
                    }
                    if (route["weight"] is JsonValue weightNode && weightNode.TryGetValue<long>(out var weight))
                    {
                        if (weight < 0)
                        {
                            errors.Add(new($"{routePath}.weight", $"weight {weight} < 0"));
                        }
                        total += weight;
                    }
                }
                if (routes.Count > 1 && total == 0)
                {
                    errors.Add(new($"{path}.route", "total destination weight = 0; with several destinations the weights must add up to more than 0"));
                }
            }

            ValidateFault(rule["fault"] as JsonObject, $"{path}.fault", errors);
            ValidateDuration(rule["timeout"], $"{path}.timeout", errors, allowZero: true);
            if (rule["retries"] is JsonObject retries)
            {
                if (Integer(retries["attempts"]) is < 0)
                {
                    errors.Add(new($"{path}.retries.attempts", "attempts cannot be negative"));
                }
                ValidateDuration(retries["perTryTimeout"], $"{path}.retries.perTryTimeout", errors);
            }
            ValidatePercentage(rule["mirrorPercentage"], $"{path}.mirrorPercentage", errors);
        }
    }

    private static void ValidateMatch(JsonObject match, string path, List<FieldCause> errors)
    {
        foreach (var field in new[] { "uri", "scheme", "method", "authority" })
        {
            ValidateStringMatch(match[field], $"{path}.{field}", errors, allowEmpty: false);
        }
        foreach (var field in new[] { "headers", "withoutHeaders", "queryParams" })
        {
            if (match[field] is not JsonObject map)
            {
                continue;
            }
            foreach (var (key, value) in map)
            {
                // istiod accepts RFC 7230 token names, uppercase included (lowercase is the docs' advice, not a rule).
                if (field != "queryParams" && key.Length > 0 && !MeshDashboard.Mesh.Operations.HttpHeaders.IsToken(key) && !key.StartsWith(':') && !key.StartsWith('@'))
                {
                    errors.Add(new($"{path}.{field}.{key}", $"header name \"{key}\" is not a valid HTTP header name"));
                }
                if (key.Length == 0)
                {
                    errors.Add(new($"{path}.{field}", "header name must not be empty"));
                }
                // An empty match ({}) tests that the header is present.
                ValidateStringMatch(value, $"{path}.{field}.{key}", errors, allowEmpty: true);
            }
        }
        if (Integer(match["port"]) is { } port && (port < 1 || port > 65535))
        {
            errors.Add(new($"{path}.port", $"port number {port} must be in the range 1..65535"));
        }
    }

    private static void ValidateStringMatch(JsonNode? node, string path, List<FieldCause> errors, bool allowEmpty)
    {
        if (node is not JsonObject match)
        {
            return;
        }
        var kinds = match.Where(p => p.Key is "exact" or "prefix" or "regex").ToList();
        if (kinds.Count > 1)
        {
            errors.Add(new(path, "only one of exact, prefix or regex may be set"));
        }
        if (kinds.Count == 0 && !allowEmpty)
        {
            errors.Add(new(path, "one of exact, prefix or regex is required"));
        }
        if (match["regex"] is JsonValue regexNode && regexNode.TryGetValue<string>(out var pattern) && MeshDashboard.Mesh.Operations.Re2.Check(pattern) is { } why)
        {
            errors.Add(new($"{path}.regex", $"\"{pattern}\" is not a valid RE2 regular expression: {why}"));
        }
    }

    private static void ValidateFault(JsonObject? fault, string path, List<FieldCause> errors)
    {
        if (fault is null)
        {
            return;
        }
        if (fault["abort"] is null && fault["delay"] is null)
        {
            errors.Add(new(path, "fault must have an abort and/or a delay"));
        }
        if (fault["abort"] is JsonObject abort)
        {
            ValidatePercentage(abort["percentage"], $"{path}.abort.percentage", errors);
            var status = Integer(abort["httpStatus"]);
            // istiod's validateHTTPStatus: 200..600.
            if (status is not null && (status < 200 || status > 600))
            {
                errors.Add(new($"{path}.abort.httpStatus", $"httpStatus {status} must be in the range 200..600"));
            }
            if (status is null && abort["grpcStatus"] is null && abort["http2Error"] is null)
            {
                errors.Add(new($"{path}.abort", "abort needs httpStatus, grpcStatus or http2Error"));
            }
        }
        if (fault["delay"] is JsonObject delay)
        {
            ValidatePercentage(delay["percentage"], $"{path}.delay.percentage", errors);
            if (Integer(delay["percent"]) is { } percent && (percent < 0 || percent > 100))
            {
                errors.Add(new($"{path}.delay.percent", $"percent {percent} must be in the range 0..100"));
            }
            if (delay["fixedDelay"] is null && delay["exponentialDelay"] is null)
            {
                errors.Add(new($"{path}.delay.fixedDelay", "delay needs fixedDelay"));
            }
            ValidateDuration(delay["fixedDelay"], $"{path}.delay.fixedDelay", errors);
        }
    }

    private static void ValidatePercentage(JsonNode? node, string path, List<FieldCause> errors)
    {
        if (node?["value"] is JsonValue value && value.TryGetValue<double>(out var percentage) && (percentage < 0 || percentage > 100))
        {
            errors.Add(new($"{path}.value", $"percentage {percentage.ToString(System.Globalization.CultureInfo.InvariantCulture)} must be in the range 0..100"));
        }
    }

    private static void ValidateDuration(JsonNode? node, string path, List<FieldCause> errors, bool allowZero = false)
    {
        if (node is not JsonValue value || !value.TryGetValue<string>(out var text))
        {
            return;
        }
        if (!GoDuration.TryParse(text, out var duration))
        {
            errors.Add(new(path, $"invalid duration \"{text}\": use a number with a unit, e.g. 100ms, 5s, 1m"));
        }
        else if (duration < TimeSpan.FromMilliseconds(1) && !(allowZero && duration == TimeSpan.Zero))
        {
            errors.Add(new(path, $"duration \"{text}\" must be at least 1ms"));
        }
    }

    private static void ValidateDestinationRule(JsonObject spec, List<FieldCause> errors)
    {
        if (string.IsNullOrEmpty(Text(spec["host"])))
        {
            errors.Add(new("spec.host", "host is required"));
        }
        ValidateTrafficPolicy(spec["trafficPolicy"] as JsonObject, "spec.trafficPolicy", errors);
        if (spec["subsets"] is not JsonArray subsets)
        {
            return;
        }
        var names = new HashSet<string>();
        for (var i = 0; i < subsets.Count; i++)
        {
            var path = $"spec.subsets[{i}]";
            var name = Text(subsets[i]?["name"]);
            if (string.IsNullOrEmpty(name))
            {
                errors.Add(new($"{path}.name", "subset name is required"));
            }
            else if (!Regex.IsMatch(name, "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"))
            {
                errors.Add(new($"{path}.name", $"subset name \"{name}\" must be a lowercase DNS label"));
            }
            else if (!names.Add(name))
            {
                errors.Add(new($"{path}.name", $"duplicate subset name \"{name}\""));
            }
            ValidateTrafficPolicy(subsets[i]?["trafficPolicy"] as JsonObject, $"{path}.trafficPolicy", errors);
        }
    }

    private static void ValidateTrafficPolicy(JsonObject? policy, string path, List<FieldCause> errors)
    {
        if (policy is null)
        {
            return;
        }
        if (Text(policy["loadBalancer"]?["simple"]) is { } simple && !LoadBalancers.Contains(simple))
        {
            errors.Add(new($"{path}.loadBalancer.simple", $"unsupported load balancer \"{simple}\"; use ROUND_ROBIN, LEAST_REQUEST, RANDOM or PASSTHROUGH"));
        }
        if (policy["outlierDetection"] is JsonObject outlier)
        {
            var p = $"{path}.outlierDetection";
            foreach (var field in new[] { "consecutiveErrors", "consecutive5xxErrors", "consecutiveGatewayErrors", "consecutiveLocalOriginFailures" })
            {
                if (Integer(outlier[field]) is < 0)
                {
                    errors.Add(new($"{p}.{field}", $"{field} cannot be negative"));
                }
            }
            ValidateDuration(outlier["interval"], $"{p}.interval", errors);
            ValidateDuration(outlier["baseEjectionTime"], $"{p}.baseEjectionTime", errors);
            foreach (var field in new[] { "maxEjectionPercent", "minHealthPercent" })
            {
                if (Integer(outlier[field]) is { } percent && (percent < 0 || percent > 100))
                {
                    errors.Add(new($"{p}.{field}", $"{field} {percent} must be in the range 0..100"));
                }
            }
        }
        if (policy["connectionPool"] is JsonObject pool)
        {
            var p = $"{path}.connectionPool";
            if (Integer(pool["tcp"]?["maxConnections"]) is < 0)
            {
                errors.Add(new($"{p}.tcp.maxConnections", "max connections must be non-negative"));
            }
            ValidateDuration(pool["tcp"]?["connectTimeout"], $"{p}.tcp.connectTimeout", errors);
            foreach (var field in new[] { "http1MaxPendingRequests", "http2MaxRequests", "maxRequestsPerConnection", "maxRetries" })
            {
                if (Integer(pool["http"]?[field]) is < 0)
                {
                    errors.Add(new($"{p}.http.{field}", $"{field} must be non-negative"));
                }
            }
        }
        if (policy["tls"] is JsonObject tls)
        {
            var mode = Text(tls["mode"]);
            if (mode is not null && !ClientTlsModes.Contains(mode))
            {
                errors.Add(new($"{path}.tls.mode", $"unsupported TLS mode \"{mode}\"; use DISABLE, SIMPLE, MUTUAL or ISTIO_MUTUAL"));
            }
            if (mode == "MUTUAL" && tls["credentialName"] is null && (tls["clientCertificate"] is null || tls["privateKey"] is null))
            {
                errors.Add(new($"{path}.tls", "MUTUAL TLS needs credentialName, or clientCertificate and privateKey"));
            }
        }
        if (policy["portLevelSettings"] is JsonArray ports)
        {
            for (var i = 0; i < ports.Count; i++)
            {
                ValidateTrafficPolicy(ports[i] as JsonObject, $"{path}.portLevelSettings[{i}]", errors);
            }
        }
    }

    private static void ValidateGateway(JsonObject spec, List<FieldCause> errors)
    {
        if (spec["servers"] is not JsonArray servers || servers.Count == 0)
        {
            errors.Add(new("spec.servers", "gateway must have at least one server"));
            return;
        }
        for (var i = 0; i < servers.Count; i++)
        {
            var path = $"spec.servers[{i}]";
            if (servers[i] is not JsonObject server)
            {
                continue;
            }
            if (server["port"] is not JsonObject port)
            {
                errors.Add(new($"{path}.port", "port is required"));
            }
            else
            {
                var number = Integer(port["number"]);
                if (number is null or < 1 or > 65535)
                {
                    errors.Add(new($"{path}.port.number", $"port number {number?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(missing)"} must be in the range 1..65535"));
                }
                if (string.IsNullOrEmpty(Text(port["protocol"])))
                {
                    errors.Add(new($"{path}.port.protocol", "protocol is required"));
                }
                if (string.IsNullOrEmpty(Text(port["name"])))
                {
                    errors.Add(new($"{path}.port.name", "port name is required"));
                }
            }
            if (server["hosts"] is not JsonArray hosts || hosts.Count == 0)
            {
                errors.Add(new($"{path}.hosts", "server config must contain at least one host"));
            }
            else
            {
                for (var h = 0; h < hosts.Count; h++)
                {
                    var host = Text(hosts[h]);
                    var dnsPart = host?.Split('/') is { Length: 2 } parts ? parts[1] : host;
                    if (string.IsNullOrEmpty(dnsPart) || (host?.Count(c => c == '/') ?? 0) > 1)
                    {
                        errors.Add(new($"{path}.hosts[{h}]", $"invalid host \"{host}\": use [namespace/]dnsName"));
                    }
                }
            }
            if (Text(server["tls"]?["mode"]) is { } tlsMode && !ServerTlsModes.Contains(tlsMode))
            {
                errors.Add(new($"{path}.tls.mode", $"unsupported TLS mode \"{tlsMode}\""));
            }
        }
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    private static long? Integer(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<long>(out var n) ? n : null;
}
