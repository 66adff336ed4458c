using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace MeshDashboard.Hosting;

/// <summary>
/// Configuration section <c>ForwardedHeaders</c>: behind a proxy that terminates TLS, trust its X-Forwarded-For and
/// X-Forwarded-Proto so the dashboard knows the request was https (cookies get Secure, HSTS is sent, the origin check
/// compares the right scheme). Off by default: trusting these headers from anyone would let any client claim https.
/// </summary>
public sealed class ProxyOptions
{
    public const string SectionName = "ForwardedHeaders";

    public bool Enabled { get; set; }

    /// <summary>Addresses of the proxies whose headers are trusted, e.g. <c>10.0.0.5</c>.</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks of trusted proxies in CIDR form, e.g. <c>10.0.0.0/8</c>.</summary>
    public List<string> KnownNetworks { get; set; } = [];

    /// <summary>The framework's options, or null when off. Bad entries stop the start with the setting named.</summary>
    public ForwardedHeadersOptions? ToFrameworkOptions()
    {
        if (!Enabled)
        {
            return null;
        }
        var options = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost };
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        for (var i = 0; i < KnownProxies.Count; i++)
        {
            options.KnownProxies.Add(IPAddress.TryParse(KnownProxies[i], out var address)
                ? address
                : throw new ProxySettingsException($"ForwardedHeaders:KnownProxies:{i} \"{KnownProxies[i]}\" is not an IP address"));
        }
        for (var i = 0; i < KnownNetworks.Count; i++)
        {
            options.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(KnownNetworks[i], out var network)
                ? network
                : throw new ProxySettingsException($"ForwardedHeaders:KnownNetworks:{i} \"{KnownNetworks[i]}\" is not a network in CIDR form (10.0.0.0/8)"));
        }
        if (options.KnownProxies.Count == 0 && options.KnownIPNetworks.Count == 0)
        {
            throw new ProxySettingsException("ForwardedHeaders:Enabled is true: name the proxies in ForwardedHeaders:KnownProxies or :KnownNetworks");
        }
        return options;
    }
}

/// <summary>The ForwardedHeaders settings cannot work as given; the message names the setting.</summary>
public sealed class ProxySettingsException(string message) : InvalidOperationException(message);
