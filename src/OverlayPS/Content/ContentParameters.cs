using System.Management.Automation;
using System.Text;

namespace OverlayPS.Content;

/// <summary>Get-Content's extra parameters on an Overlay drive, as the FileSystem provider has them.</summary>
public sealed class ContentReaderParameters
{
    /// <summary>Ours, or the FileSystem provider's taken over (see ForeignParameters); its
    /// -Encoding and -Delimiter count only when given, which it records in flags of its own.</summary>
    internal static ContentReaderParameters? From(object? bound) =>
        Provider.ForeignParameters.Adopt<ContentReaderParameters>(bound, (o, name) => name switch
        {
            "Encoding" => o is Microsoft.PowerShell.Commands.FileSystemContentDynamicParametersBase { WasStreamTypeSpecified: true },
            "Delimiter" => o is Microsoft.PowerShell.Commands.FileSystemContentReaderDynamicParameters { DelimiterSpecified: true },
            _ => Provider.ForeignParameters.IsGiven(o, name),
        });

    [Parameter]
    [EncodingArgument]
    [ArgumentCompleter(typeof(EncodingNameCompleter))]
    public Encoding Encoding
    {
        get => _encoding;
        set { _encoding = value; EncodingGiven = true; }
    }
    Encoding _encoding = new UTF8Encoding(false);

    /// <summary>-Encoding was given: with -AsByteStream it is ignored, with a warning.</summary>
    internal bool EncodingGiven { get; private set; }

    /// <summary>Splits the content at this string instead of at line ends; the delimiter is
    /// dropped from each piece, as in PowerShell 7.</summary>
    [Parameter]
    public string Delimiter
    {
        get => _delimiter;
        set { _delimiter = value; DelimiterGiven = true; }
    }
    string _delimiter = "\n";

    /// <summary>-Delimiter was given (even as "\n"): -Raw with it is refused, as on FileSystem.</summary>
    internal bool DelimiterGiven { get; private set; }

    /// <summary>The whole content as one string (or one byte[] with -AsByteStream).</summary>
    [Parameter]
    public SwitchParameter Raw { get; set; }

    [Parameter]
    public SwitchParameter AsByteStream { get; set; }
}

/// <summary>Set-Content / Add-Content extra parameters on an Overlay drive.</summary>
public sealed class ContentWriterParameters
{
    /// <summary>Ours, or the FileSystem provider's taken over (see ForeignParameters).</summary>
    internal static ContentWriterParameters? From(object? bound) =>
        Provider.ForeignParameters.Adopt<ContentWriterParameters>(bound, (o, name) => name == "Encoding"
            ? o is Microsoft.PowerShell.Commands.FileSystemContentDynamicParametersBase { WasStreamTypeSpecified: true }
            : Provider.ForeignParameters.IsGiven(o, name));

    [Parameter]
    [EncodingArgument]
    [ArgumentCompleter(typeof(EncodingNameCompleter))]
    public Encoding Encoding
    {
        get => _encoding;
        set { _encoding = value; EncodingGiven = true; }
    }
    Encoding _encoding = new UTF8Encoding(false);

    /// <summary>-Encoding was given: with -AsByteStream it is ignored, with a warning.</summary>
    internal bool EncodingGiven { get; private set; }

    /// <summary>Writes the values one after another with no line end between or after them.</summary>
    [Parameter]
    public SwitchParameter NoNewline { get; set; }

    [Parameter]
    public SwitchParameter AsByteStream { get; set; }
}
