using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using MeshDashboard.Authentication;
using MeshDashboard.Testing;
using Microsoft.Extensions.Logging;

namespace MeshDashboard.Tests.Security;

/// <summary>The dashboard with local accounts and API tokens, and its log lines captured.</summary>
public sealed partial class SecuredDashboard : IAsyncLifetime
{
    public const string AlicePassword = "correct horse battery staple";
    public const string VictorPassword = "viewer-only-password";
    public const string PipelineToken = "mdt_pipeline_5f1c0a9e7b2d4e6f8a1b3c5d7e9f0a2b";
    public const string ReaderToken = "mdt_reader_0a1b2c3d4e5f60718293a4b5c6d7e8f9";
    public const string AdminToken = "mdt_admin_9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b";

    private static readonly Lazy<string> AliceHash = new(() => PasswordHashing.Hash(AlicePassword));
    private static readonly Lazy<string> VictorHash = new(() => PasswordHashing.Hash(VictorPassword));

    public SecuredDashboard(int signInAttemptsPerMinute = 100, bool impersonate = false, IDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Cluster:Impersonate"] = impersonate ? "true" : "false",
            ["Auth:Mode"] = "Local",
            ["Auth:SignInAttemptsPerMinute"] = signInAttemptsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Auth:Local:0:Name"] = "alice",
            ["Auth:Local:0:PasswordHash"] = AliceHash.Value,
            ["Auth:Local:0:Role"] = "ReleaseManager",
            ["Auth:Local:1:Name"] = "victor",
            ["Auth:Local:1:PasswordHash"] = VictorHash.Value,
            ["Auth:Local:1:Role"] = "Viewer",
            ["Auth:ApiTokens:0:Name"] = "release-pipeline",
            ["Auth:ApiTokens:0:Sha256"] = Sha256(PipelineToken),
            ["Auth:ApiTokens:0:Role"] = "ReleaseManager",
            ["Auth:ApiTokens:1:Name"] = "dashboards-reader",
            ["Auth:ApiTokens:1:Sha256"] = Sha256(ReaderToken),
            ["Auth:ApiTokens:1:Role"] = "Viewer",
            ["Auth:ApiTokens:2:Name"] = "platform-admin",
            ["Auth:ApiTokens:2:Sha256"] = Sha256(AdminToken),
            ["Auth:ApiTokens:2:Role"] = "Admin",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
        Dashboard = new TestDashboard(settings, builder => builder.Logging.AddProvider(Logs));
    }

    public TestDashboard Dashboard { get; }

    public CapturingLoggerProvider Logs { get; } = new();

    public static string Sha256(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token))).ToLowerInvariant();

    public ValueTask InitializeAsync() => Dashboard.InitializeAsync();

    public ValueTask DisposeAsync() => Dashboard.DisposeAsync();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    public static async Task<string> AntiforgeryTokenAsync(HttpClient client, string page)
    {
        var html = await client.GetStringAsync(new Uri(page, UriKind.Relative), TestContext.Current.CancellationToken);
        return WebUtility.HtmlDecode(AntiforgeryField().Match(html).Groups[1].Value);
    }

    /// <summary>Signs in through the sign-in form, as a browser would; returns the answer to the form post.</summary>
    public static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string user, string password)
    {
        var token = await AntiforgeryTokenAsync(client, "/signin");
        return await client.PostAsync(new Uri("/auth/signin", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["user"] = user,
            ["password"] = password,
            ["returnUrl"] = "/",
        }), TestContext.Current.CancellationToken);
    }
}
