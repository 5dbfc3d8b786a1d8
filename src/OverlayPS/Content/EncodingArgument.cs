using System.Management.Automation;
using System.Text;

namespace OverlayPS.Content;

/// <summary>
/// Turns what users type for -Encoding on the FileSystem provider ("utf8", "utf8BOM",
/// "unicode", "ascii", a code page number, an Encoding object) into an Encoding. PowerShell's
/// own transformation attribute is internal, so the names are listed here.
/// </summary>
public sealed class EncodingArgumentAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData) => Parse(inputData);

    public static Encoding Parse(object? input)
    {
        input = input is PSObject p ? p.BaseObject : input;
        switch (input)
        {
            case Encoding e:
                return e;
            case int codePage:
                return Encoding.GetEncoding(codePage);
            case string name:
                var e2 = ByName(name);
                if (e2 is not null)
                    return e2;
                if (int.TryParse(name, out var cp))
                    return Encoding.GetEncoding(cp);
                return Encoding.GetEncoding(name);
            default:
                throw new ArgumentException($"Cannot use '{input}' as an encoding.");
        }
    }

    static Encoding? ByName(string name) => name.ToLowerInvariant() switch
    {
        "ascii" => new ASCIIEncoding(),
        "ansi" or "default" or "oem" or "utf8nobom" or "utf8" => new UTF8Encoding(false),
        "utf8bom" => new UTF8Encoding(true),
        "unicode" => new UnicodeEncoding(false, true),
        "bigendianunicode" => new UnicodeEncoding(true, true),
        "utf32" => new UTF32Encoding(false, true),
        "bigendianutf32" => new UTF32Encoding(true, true),
        "latin1" => Encoding.Latin1,
        _ => null,
    };
}

/// <summary>Tab completion for -Encoding: the names <see cref="EncodingArgumentAttribute"/> reads.</summary>
public sealed class EncodingNameCompleter : IArgumentCompleter
{
    static readonly string[] Names =
        { "ascii", "bigendianunicode", "bigendianutf32", "latin1", "oem", "unicode", "utf32", "utf8", "utf8BOM", "utf8NoBOM" };

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName,
        string wordToComplete, System.Management.Automation.Language.CommandAst commandAst, System.Collections.IDictionary fakeBoundParameters) =>
        Names.Where(n => n.StartsWith(wordToComplete ?? "", StringComparison.OrdinalIgnoreCase))
            .Select(n => new CompletionResult(n));
}
