using MeshDashboard.Hosting;
using MeshDashboard.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MeshDashboard.Tests.Hosting;

/// <summary>What a person sees in the terminal after <c>dotnet run</c>: one clear line with the address, not buried.</summary>
public sealed class StartupLogTests : IAsyncLifetime
{
    private readonly CapturingLoggerProvider _log = new();
    private readonly TestDashboard _dashboard;

    public StartupLogTests()
    {
        _dashboard = new TestDashboard(new Dictionary<string, string?>(), builder => builder.Logging.AddProvider(_log));
    }

    public ValueTask InitializeAsync() => _dashboard.InitializeAsync();

    public ValueTask DisposeAsync() => _dashboard.DisposeAsync();

    [Fact]
    public async Task Start_EndsWithOneLineNamingTheAddressToOpen_AfterTheCacheSynced()
    {
        var announced = await _dashboard.App.App.Services.GetRequiredService<ReadyAnnouncement>().Announced.WaitAsync(TestContext.Current.CancellationToken);

        Assert.Equal(_dashboard.BaseAddress.ToString(), announced);
        var ready = Assert.Single(_log.Lines, line => line.Contains("MeshDashboard is ready", StringComparison.Ordinal));
        Assert.StartsWith("Information", ready, StringComparison.Ordinal);
        Assert.Contains($"open {_dashboard.BaseAddress}", ready, StringComparison.Ordinal);
    }

    [Fact]
    public void ListingEachKind_IsNotLoggedAtInformation()
    {
        Assert.DoesNotContain(_log.Lines, line => line.Contains("Listed", StringComparison.Ordinal) && !line.StartsWith("Debug", StringComparison.Ordinal) && !line.StartsWith("Trace", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("http://[::]:8080", "http://127.0.0.1:8080/")]
    [InlineData("http://+:8080", "http://127.0.0.1:8080/")]
    [InlineData("http://127.0.0.1:5080", "http://127.0.0.1:5080/")]
    public void OpenAddress_IsOneAPersonCanType(string listening, string expected)
    {
        Assert.Equal(expected, ReadyAnnouncement.OpenAddress([listening]));
    }
}
