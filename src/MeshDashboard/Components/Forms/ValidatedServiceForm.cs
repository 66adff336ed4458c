using System.Collections.Immutable;
using MeshDashboard.Model;

namespace MeshDashboard.Components.Forms;

/// <summary>
/// A service-page form over one immutable view model: every edit replaces the model and re-checks it, so what shows
/// while typing is what the preview would say, and Apply is enabled only when there is nothing to say.
/// </summary>
public abstract class ValidatedServiceForm<TForm> : ServiceFormBase
    where TForm : class, IValidatedForm
{
    protected TForm Form { get; private set; } = null!;

    protected ImmutableDictionary<string, string> FieldErrors { get; private set; } = ImmutableDictionary<string, string>.Empty;

    protected void Edit(TForm form)
    {
        Form = form;
        FieldErrors = form.Validate();
    }

    protected bool HasError(string field) => FieldErrors.ContainsKey(field);

    protected string? ErrorOf(string field) => FieldErrors.GetValueOrDefault(field);
}
