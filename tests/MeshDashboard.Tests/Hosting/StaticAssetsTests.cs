using System.Net;
using System.Text.RegularExpressions;
using MeshDashboard.Testing;
using Microsoft.Extensions.Logging;

namespace MeshDashboard.Tests.Hosting;

/// <summary>Our stylesheet and icon are static web assets of the project: known to the manifest, served, nothing logged.</summary>
public sealed partial class StaticAssetsTests : IAsyncLifetime
{
    private readonly CapturingLoggerProvider _log = new();
    private readonly TestDashboard _dashboard;

    public StaticAssetsTests()
    {
        _dashboard = new TestDashboard(new Dictionary<string, string?>(), builder => builder.Logging.AddProvider(_log));
    }

    public ValueTask InitializeAsync() => _dashboard.InitializeAsync();

    public ValueTask DisposeAsync() => _dashboard.DisposeAsync();

    [GeneratedRegex("<link rel=\"stylesheet\" href=\"(?<href>app[^\"]*\\.css)\"")]
    private static partial Regex Stylesheet();

    [GeneratedRegex("<link rel=\"icon\"[^>]* href=\"(?<href>favicon[^\"]*\\.svg)\"")]
    private static partial Regex Icon();

    [Fact]
    public async Task Page_LinksAFingerprintedStylesheetAndOurIcon_BothServed_WithoutAManifestWarning()
    {
        using var http = _dashboard.CreateHttpClient();
        var cancel = TestContext.Current.CancellationToken;

        var html = await http.GetStringAsync(new Uri("/", UriKind.Relative), cancel);

        var stylesheet = Stylesheet().Match(html);
        Assert.True(stylesheet.Success, "the page links app.css");
        // The manifest knows the file when @Assets hands out its fingerprinted name.
        Assert.Matches(@"^app\.[a-z0-9]+\.css$", stylesheet.Groups["href"].Value);
        using var css = await http.GetAsync(new Uri(stylesheet.Groups["href"].Value, UriKind.Relative), cancel);
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);

        var icon = Icon().Match(html);
        Assert.True(icon.Success, "the page links an SVG icon");
        using var svg = await http.GetAsync(new Uri(icon.Groups["href"].Value, UriKind.Relative), cancel);
        Assert.Equal(HttpStatusCode.OK, svg.StatusCode);
        Assert.Equal("image/svg+xml", svg.Content.Headers.ContentType?.MediaType);

        Assert.DoesNotContain(_log.Lines, line => line.Contains("not found in the built time manifest", StringComparison.Ordinal));
    }
}
