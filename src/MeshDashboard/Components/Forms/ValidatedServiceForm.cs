using System.Collections.Immutable;
using MeshDashboard.Mesh.Operations;
using MeshDashboard.Model;

namespace MeshDashboard.Components.Forms;

/// <summary>
/// A service-page form over one immutable view model: every edit replaces the model and re-checks it, so what shows
/// while typing is what the preview would say. A freshly loaded form shows no errors (the person has not done anything
/// wrong yet, even when the service's current values would not pass); they appear after the first edit or when the
/// person tries to apply, and then Apply stays disabled until there is nothing to say.
/// </summary>
public abstract class ValidatedServiceForm<TForm> : ServiceFormBase
    where TForm : class, IValidatedForm
{
    private ImmutableDictionary<string, string> _problems = ImmutableDictionary<string, string>.Empty;
    private bool _touched;

    protected TForm Form { get; private set; } = null!;

    /// <summary>The problems the person should see now, by field: none until they edit or try to apply.</summary>
    protected ImmutableDictionary<string, string> FieldErrors => _touched ? _problems : ImmutableDictionary<string, string>.Empty;

    /// <summary>Shows the form as loaded from the service, untouched.</summary>
    protected void Start(TForm form)
    {
        Form = form;
        _problems = form.Validate();
        _touched = false;
    }

    /// <summary>The person changed the form.</summary>
    protected void Edit(TForm form)
    {
        Form = form;
        _problems = form.Validate();
        _touched = true;
    }

    /// <summary>Replaces the model with one that differs only in what it shows of the service now, not in the person's input.</summary>
    protected void Keep(TForm form)
    {
        Form = form;
        _problems = form.Validate();
    }

    /// <summary>Applies the form's operation when it is valid; otherwise shows why not.</summary>
    protected async Task SubmitValidAsync(Func<ITrafficOperation> operation)
    {
        _touched = true;
        if (_problems.IsEmpty)
        {
            await SubmitAsync(operation());
        }
    }

    protected bool HasError(string field) => FieldErrors.ContainsKey(field);

    protected string? ErrorOf(string field) => FieldErrors.GetValueOrDefault(field);
}
