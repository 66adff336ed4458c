using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Model;

namespace MeshDashboard.Components.Forms;

/// <summary>The blue/green tab: which subset serves which public host, and the switch (and switch back).</summary>
public sealed partial class BlueGreenPanel : ServiceFormBase
{
    private BlueGreenModel _model = null!;
    private string? _previousLive;

    protected override void Load(MeshService service) => _model = BlueGreenModel.From(service);

    private async Task SwitchAsync(string subset)
    {
        var live = _model.LiveSubset;
        var result = await SubmitAsync(_model.SwitchTo(Service.Ref, subset));
        if (result.Succeeded)
        {
            // Offer the way back right away, before the new state arrives from the cluster.
            _previousLive = live;
            _model = _model.AfterSwitch(subset);
        }
    }
}
