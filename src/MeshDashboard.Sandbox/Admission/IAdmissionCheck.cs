using System.Text.Json.Nodes;
using MeshDashboard.Sandbox.Api;
using MeshDashboard.Sandbox.Storage;

namespace MeshDashboard.Sandbox.Admission;

/// <summary>Validates an object before it is stored (and on dry runs); throws <see cref="ApiException"/> to refuse it.</summary>
public interface IAdmissionCheck
{
    void Check(ResourceType type, JsonObject candidate, JsonObject? previous, WriteOptions options);
}

/// <summary>
/// The checks a sandbox runs, in the order a real API server runs them: object metadata and the kind's own rules (for a
/// custom resource, its CRD's structural schema), then webhooks (istiod's validation for Istio's kinds).
/// </summary>
public sealed class SandboxAdmission : IAdmissionCheck
{
    public void Check(ResourceType type, JsonObject candidate, JsonObject? previous, WriteOptions options)
    {
        var name = (string?)candidate["metadata"]?["name"] ?? "";
        var objectCauses = MetadataValidation.Validate(type, candidate);
        // The API server validates metadata and the kind's own fields in one pass and reports both together.
        objectCauses.AddRange(DataSizeValidation.Validate(type, candidate));
        if (type == ResourceTypes.CustomResourceDefinitions)
        {
            objectCauses.AddRange(CustomResourceDefinitions.Validate(candidate));
        }
        if (type.Definition?.Schemas.GetValueOrDefault(type.StorageVersion) is { } schema)
        {
            var (schemaErrors, unknownFields) = StructuralSchema.Validate(schema, candidate, prune: options.FieldValidation != FieldValidation.Strict);
            if (options.FieldValidation == FieldValidation.Strict && unknownFields.Count > 0)
            {
                throw ApiException.BadRequest(
                    $"{type.Kind} in version \"{type.StorageVersion}\" cannot be handled as a {type.Kind}: strict decoding error: " +
                    string.Join(", ", unknownFields.Select(f => $"unknown field \"{f}\"")),
                    unknownFields.Select(f => new FieldCause(f, "field not declared in schema", "FieldValueInvalid")).ToList());
            }
            if (options.FieldValidation == FieldValidation.Warn)
            {
                options.Warnings.AddRange(unknownFields.Select(f => $"unknown field \"{f}\""));
            }
            objectCauses.AddRange(schemaErrors);
        }
        if (objectCauses.Count > 0)
        {
            throw ApiException.Invalid(type, name, objectCauses);
        }

        if (type.Group == ResourceTypes.IstioNetworkingGroup)
        {
            var verdict = Istio.IstioValidation.Validate(type, candidate);
            options.Warnings.AddRange(verdict.Warnings);
            if (verdict.Refused)
            {
                throw ApiException.WebhookDenied("validation.istio.io", verdict.Errors);
            }
        }
    }
}
