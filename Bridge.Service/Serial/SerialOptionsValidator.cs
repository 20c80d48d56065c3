using Bridge.Service.StartupChecks;

namespace Bridge.Service.Serial;

/// <summary>Checks <c>Serial:*</c> at start: the raw numbers (the binder drops what it can't convert)
/// and every port and device, their profiles included.</summary>
public sealed class SerialOptionsValidator(IConfiguration config) : OptionsValidator<SerialOptions>
{
    protected override IEnumerable<string> Problems(SerialOptions options) => options.Validate(config);
}
