namespace Bridge.Protocols.Yeelight;

/// <summary>One element of a command's <c>params</c> array: the protocol uses strings and integers only.</summary>
public readonly record struct YeelightParam(string? Text, long Number)
{
    public static implicit operator YeelightParam(string text) => new(text, 0);
    public static implicit operator YeelightParam(long number) => new(null, number);

    public bool IsText => Text is not null;

    public override string ToString() => Text ?? Number.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
