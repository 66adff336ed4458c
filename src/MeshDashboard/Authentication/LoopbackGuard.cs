using System.Net;

namespace MeshDashboard.Authentication;

/// <summary>
/// No open door: without sign-in (Auth:Mode None) the dashboard listens on loopback only. Asked to listen
/// anywhere else, it refuses to start and says which setting to set.
/// </summary>
public static class LoopbackGuard
{
    public sealed class OpenAddressException(string message) : Exception(message);

    /// <summary>Checks the addresses configuration asks for (urls, http_ports, Kestrel endpoints) before starting.</summary>
    public static void CheckConfiguration(IConfiguration configuration)
    {
        var requested = new List<string>();
        requested.AddRange((configuration["urls"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        foreach (var ports in new[] { configuration["http_ports"], configuration["https_ports"] })
        {
            // ASPNETCORE_HTTP_PORTS binds every interface.
            requested.AddRange((ports ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(p => $"http://*:{p}"));
        }
        requested.AddRange(configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"]).OfType<string>());
        foreach (var url in requested)
        {
            Check(url);
        }
    }

    /// <summary>Checks an address the server is bound to (or asked to bind to).</summary>
    public static void Check(string url)
    {
        if (!IsLoopback(url))
        {
            throw new OpenAddressException(
                $"Auth:Mode is None (no sign-in), so MeshDashboard listens on loopback only, but it was asked to listen on {url}. " +
                "Set Auth:Mode to Local or Oidc (see README, \"Security\"), or listen on a loopback address such as http://127.0.0.1:5080.");
        }
    }

    public static bool IsLoopback(string url)
    {
        var rest = url.Contains("://", StringComparison.Ordinal) ? url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..] : url;
        var host = rest.StartsWith('[') ? rest[..(rest.IndexOf(']', StringComparison.Ordinal) + 1)] : rest.Split(':', '/')[0];
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        return IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address);
    }
}
