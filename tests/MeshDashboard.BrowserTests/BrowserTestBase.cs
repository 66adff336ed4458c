using MeshDashboard.Testing;

namespace MeshDashboard.BrowserTests;

/// <summary>Each browser test gets the real dashboard on its own sandbox and a Chromium session.</summary>
public abstract class BrowserTestBase : IAsyncLifetime
{
    protected TestDashboard Dashboard { get; } = new();

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
