using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace MeshDashboard.Sandbox.Admission.Istio;

/// <summary>
/// The name rules istiod applies to hosts, gateways, namespaces and labels: istio/istio pkg/config/labels/instance.go
/// (DNS-1123 labels in any case, wildcard labels, label keys and values) and pkg/config/validation/agent/validation.go
/// (<c>ValidateWildcardDomain</c>, <c>ValidateFQDN</c>, <c>ValidateNamespaceSlashWildcardHostname</c>). Each check answers
/// null when the name is fine, else why not.
/// </summary>
internal static partial class IstioNames
{
    private const int MaxLabelLength = 63;

    /// <summary>istiod's label: letters (either case), digits and '-', starting and ending with a letter or digit.</summary>
    [GeneratedRegex("^[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?$")]
    private static partial Regex Label();

    /// <summary>A label, or <c>*</c>, or a label behind a leading <c>*</c> or <c>*-</c>.</summary>
    [GeneratedRegex("^(?:\\*|(?:\\*|\\*-)?[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?)$")]
    private static partial Regex WildcardLabel();

    /// <summary>A Kubernetes label key: an optional DNS prefix and '/', then a qualified name.</summary>
    [GeneratedRegex("^(?:([a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?)*)/)?((?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$")]
    private static partial Regex LabelKey();

    [GeneratedRegex("^(?:(?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")]
    private static partial Regex LabelValue();

    /// <summary>What Go's strconv.Atoi accepts.</summary>
    [GeneratedRegex("^[+-]?[0-9]+$")]
    private static partial Regex GoInteger();

    public static bool IsLabel(string value) => value.Length <= MaxLabelLength && Label().IsMatch(value);

    private static bool IsWildcardLabel(string value) => value.Length <= MaxLabelLength && WildcardLabel().IsMatch(value);

    private static string? Preconditions(string name) =>
        name.Length > 255 ? $"domain name \"{name}\" too long (max 255)"
        : name.Length == 0 ? "empty domain name not allowed"
        : null;

    private static string? Labels(string domain)
    {
        var parts = domain.Split('.');
        if (GoInteger().IsMatch(parts[^1]))
        {
            return $"domain name \"{domain}\" invalid (top level domain \"{parts[^1]}\" cannot be all-numeric)";
        }
        for (var i = 0; i < parts.Length; i++)
        {
            // A trailing dot ("istio.io.") is allowed.
            if (i == parts.Length - 1 && parts[i].Length == 0)
            {
                return null;
            }
            if (!IsLabel(parts[i]))
            {
                return $"domain name \"{domain}\" invalid (label \"{parts[i]}\" invalid)";
            }
        }
        return null;
    }

    /// <summary><c>ValidateFQDN</c>: dot-separated labels, the last not all digits.</summary>
    public static string? Fqdn(string name) => Preconditions(name) ?? Labels(name);

    /// <summary><c>ValidateWildcardDomain</c>: like <see cref="Fqdn"/>, but the first label may be a wildcard label.</summary>
    public static string? WildcardDomain(string domain)
    {
        if (Preconditions(domain) is { } problem)
        {
            return problem;
        }
        var dot = domain.IndexOf('.', StringComparison.Ordinal);
        var first = dot < 0 ? domain : domain[..dot];
        if (!IsWildcardLabel(first))
        {
            return $"domain name \"{domain}\" invalid (label \"{first}\" invalid)";
        }
        return dot < 0 ? null : Labels(domain[(dot + 1)..]);
    }

    /// <summary>
    /// <c>ValidateWildcardDomainForVirtualServiceBoundToGateway</c>: as <see cref="WildcardDomain"/>, except that an SNI host
    /// may be the name Istio generates for AUTO_PASSTHROUGH (<c>outbound_.15010_._.istiod.istio-system.svc.cluster.local</c>).
    /// </summary>
    public static string? GatewayBoundDomain(bool sni, string domain)
    {
        if (Preconditions(domain) is { } problem)
        {
            return problem;
        }
        if (sni && domain.StartsWith("outbound_", StringComparison.Ordinal))
        {
            var parts = domain.Split('_');
            if (parts.Length < 4)
            {
                return $"domain name {domain} invalid, should follow 'outbound_.<PORT>_._.<HOSTNAME>' format";
            }
            var port = parts[1].Trim('.');
            var host = parts[3].Trim('.');
            if (parts[0] != "outbound")
            {
                return $"domain name \"{domain}\" invalid (label \"{parts[0]}\" invalid)";
            }
            if (!port.Any(char.IsAsciiDigit))
            {
                return $"domain name \"{domain}\" invalid (label \"{port}\" invalid)";
            }
            return host.Any(char.IsAsciiLetter) ? null : $"domain name \"{domain}\" invalid (label \"{host}\" invalid)";
        }
        return WildcardDomain(domain);
    }

    /// <summary>Go's <c>netip.ParseAddr</c>: a strict dotted quad (no leading zeros) or an IPv6 address.</summary>
    public static bool IsIpAddress(string text)
    {
        if (text.Contains(':', StringComparison.Ordinal))
        {
            return IPAddress.TryParse(text, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6;
        }
        var parts = text.Split('.');
        return parts.Length == 4 && parts.All(p =>
            p.Length is > 0 and <= 3 && p.All(char.IsAsciiDigit) && (p.Length == 1 || p[0] != '0')
            && int.Parse(p, CultureInfo.InvariantCulture) <= 255);
    }

    /// <summary><c>ValidateIPSubnet</c>: a CIDR block (one '/') or a single address.</summary>
    public static string? IpSubnet(string subnet)
    {
        if (subnet.Count(c => c == '/') == 1)
        {
            var slash = subnet.IndexOf('/', StringComparison.Ordinal);
            var address = subnet[..slash];
            var bits = subnet[(slash + 1)..];
            var max = address.Contains(':', StringComparison.Ordinal) ? 128 : 32;
            return IsIpAddress(address) && bits.Length > 0 && bits.All(char.IsAsciiDigit) && (bits.Length == 1 || bits[0] != '0')
                && int.TryParse(bits, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= max
                ? null
                : $"{subnet} is not a valid CIDR block";
        }
        return IsIpAddress(subnet) ? null : $"{subnet} is not a valid IP";
    }

    /// <summary><c>ValidatePartialWildCard</c>: a '*' only as the whole host or in a leading "*.".</summary>
    private static string? PartialWildcard(string host) =>
        host.Contains('*', StringComparison.Ordinal) && host.Length != 1 && !host.StartsWith("*.", StringComparison.Ordinal)
            ? $"partial wildcard \"{host}\" not allowed"
            : null;

    /// <summary>
    /// A Gateway server's host (<c>ValidateNamespaceSlashWildcardHostname</c> with isGateway): <c>[namespace/]dnsName</c>,
    /// namespace <c>*</c>, <c>.</c> or a label, dnsName a wildcard FQDN or an IP, never a short name or a partial wildcard.
    /// </summary>
    public static IEnumerable<string> GatewayHost(string host)
    {
        var slash = host.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            foreach (var problem in GatewayHostname(host))
            {
                yield return problem;
            }
            yield break;
        }
        var ns = host[..slash];
        var name = host[(slash + 1)..];
        if (ns.Length == 0 || name.Length == 0)
        {
            yield return "config namespace and dnsName in host entry cannot be empty";
        }
        if (ns != "*" && ns != "." && !IsLabel(ns))
        {
            yield return $"invalid namespace value \"{ns}\" in gateway";
        }
        foreach (var problem in GatewayHostname(name))
        {
            yield return problem;
        }
    }

    private static IEnumerable<string> GatewayHostname(string name)
    {
        if (name != "*" && !name.Contains('.', StringComparison.Ordinal))
        {
            yield return "short names (non FQDN) are not allowed";
        }
        if (WildcardDomain(name) is { } problem && !IsIpAddress(name))
        {
            yield return problem;
        }
        if (PartialWildcard(name) is { } partial)
        {
            yield return partial;
        }
    }

    /// <summary>
    /// istio/istio pkg/config/host/name.go <c>Matches</c>: two hosts overlap when they are equal, or a wildcard's suffix
    /// covers the other (<c>*.bar</c> overlaps <c>*.foo.bar</c> and <c>a.bar</c>).
    /// </summary>
    public static bool Overlap(string a, string b)
    {
        var aWild = a.StartsWith('*');
        var bWild = b.StartsWith('*');
        if (aWild && bWild)
        {
            return a.Length < b.Length ? b[1..].EndsWith(a[1..], StringComparison.Ordinal) : a[1..].EndsWith(b[1..], StringComparison.Ordinal);
        }
        if (aWild)
        {
            return b.EndsWith(a[1..], StringComparison.Ordinal);
        }
        return bWild ? a.EndsWith(b[1..], StringComparison.Ordinal) : a == b;
    }

    /// <summary><c>SubsetOf</c>: every name <paramref name="host"/> stands for is also covered by <paramref name="of"/>.</summary>
    public static bool SubsetOf(string host, string of)
    {
        var hostWild = host.StartsWith('*');
        var ofWild = of.StartsWith('*');
        if (hostWild)
        {
            return ofWild && host[1..].EndsWith(of[1..], StringComparison.Ordinal);
        }
        return ofWild ? host.EndsWith(of[1..], StringComparison.Ordinal) : host == of;
    }

    /// <summary>
    /// <c>labels.Instance.Validate</c>: every key a Kubernetes label key (DNS prefix at most 253, name at most 63) and every
    /// value a label value. Yields one problem per bad entry.
    /// </summary>
    public static IEnumerable<string> LabelProblems(IEnumerable<KeyValuePair<string, string?>> labels)
    {
        foreach (var (key, value) in labels)
        {
            var match = LabelKey().Match(key);
            if (!match.Success)
            {
                yield return $"invalid tag key: \"{key}\"";
            }
            else if (match.Groups[1].Length > 253)
            {
                yield return $"invalid tag key: \"{key}\" (DNS prefix is too long)";
            }
            else if (match.Groups[2].Length > MaxLabelLength)
            {
                yield return $"invalid tag key: \"{key}\" (name is too long)";
            }
            if (!LabelValue().IsMatch(value ?? ""))
            {
                yield return $"invalid tag value: \"{value}\"";
            }
        }
    }
}
