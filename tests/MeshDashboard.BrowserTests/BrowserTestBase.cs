using MeshDashboard.Testing;

namespace MeshDashboard.BrowserTests;

/// <summary>Each browser test gets the real dashboard on its own sandbox and a Chromium session.</summary>
public abstract class BrowserTestBase : IAsyncLifetime
{
    protected BrowserTestBase()
        : this(new Dictionary<string, string?>())
    {
    }

    /// <param name="settings">Configuration for the dashboard under test (e.g. sign-in).</param>
    protected BrowserTestBase(IDictionary<string, string?> settings)
    {
        Dashboard = new TestDashboard(settings);
    }

    protected TestDashboard Dashboard { get; }

    protected BrowserSession Browser { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        await Dashboard.InitializeAsync();
        Browser = await BrowserSession.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        await Dashboard.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
