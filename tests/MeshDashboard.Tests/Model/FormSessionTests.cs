using MeshDashboard.Model;

namespace MeshDashboard.Tests.Model;

public sealed class FormSessionTests
{
    private static readonly Mesh.Catalog.MeshService Reviews = DemoSnapshot.Service(DemoSnapshot.Reviews);

    [Fact]
    public void Observe_OpensTheFormsOnTheFirstState()
    {
        var session = FormSession.Empty.Observe(Reviews, "v1");

        Assert.Same(Reviews, session.Form);
        Assert.False(session.IsStale);
    }

    [Fact]
    public void Observe_MarksTheFormsStaleWhenSomeoneElseChangesTheService()
    {
        var newer = Reviews with { };
        var session = FormSession.Empty.Observe(Reviews, "v1").Observe(newer, "v2");

        Assert.True(session.IsStale);
        Assert.Same(Reviews, session.Form);
    }

    [Fact]
    public void Observe_KeepsTheFormsWhenOnlyOtherServicesChanged()
    {
        var session = FormSession.Empty.Observe(Reviews, "v1").Observe(Reviews with { }, "v1");

        Assert.False(session.IsStale);
        Assert.Same(Reviews, session.Form);
    }

    [Fact]
    public void Observe_TakesThePersonsOwnChangeIntoTheFormsWithoutTheNotice()
    {
        var newer = Reviews with { };
        var session = FormSession.Empty.Observe(Reviews, "v1").ExpectOwnChange().Observe(newer, "v2");

        Assert.False(session.IsStale);
        Assert.Same(newer, session.Form);
        Assert.False(session.OwnChangePending);
    }

    [Fact]
    public void Reload_StartsTheFormsFromTheLatestState()
    {
        var newer = Reviews with { };
        var session = FormSession.Empty.Observe(Reviews, "v1").Observe(newer, "v2").Reload(newer, "v2");

        Assert.False(session.IsStale);
        Assert.Same(newer, session.Form);
    }
}
