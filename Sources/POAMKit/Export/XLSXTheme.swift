/// `xl/theme/theme1.xml`: the workbook's DrawingML theme. Excel writes one in every workbook and
/// strict Office Open XML checks expect it; poam's styles use explicit colours and fonts, so the
/// theme is the plain Office palette with Calibri, and the three fill, line and effect styles
/// the schema requires.
enum XLSXTheme {
  static let xml: String = {
    let colors = [
      ("dk1", "<a:sysClr val=\"windowText\" lastClr=\"000000\"/>"),
      ("lt1", "<a:sysClr val=\"window\" lastClr=\"FFFFFF\"/>"),
      ("dk2", "<a:srgbClr val=\"1F3A5F\"/>"), ("lt2", "<a:srgbClr val=\"E7E6E6\"/>"),
      ("accent1", "<a:srgbClr val=\"4472C4\"/>"), ("accent2", "<a:srgbClr val=\"ED7D31\"/>"),
      ("accent3", "<a:srgbClr val=\"A5A5A5\"/>"), ("accent4", "<a:srgbClr val=\"FFC000\"/>"),
      ("accent5", "<a:srgbClr val=\"5B9BD5\"/>"), ("accent6", "<a:srgbClr val=\"70AD47\"/>"),
      ("hlink", "<a:srgbClr val=\"0563C1\"/>"), ("folHlink", "<a:srgbClr val=\"954F72\"/>"),
    ].map { "<a:\($0.0)>\($0.1)</a:\($0.0)>" }.joined()
    let font = "<a:latin typeface=\"Calibri\"/><a:ea typeface=\"\"/><a:cs typeface=\"\"/>"
    let solid = "<a:solidFill><a:schemeClr val=\"phClr\"/></a:solidFill>"
    let line = { (width: Int) in
      "<a:ln w=\"\(width)\" cap=\"flat\" cmpd=\"sng\" algn=\"ctr\">\(solid)<a:prstDash val=\"solid\"/><a:miter lim=\"800000\"/></a:ln>"
    }
    let effect = "<a:effectStyle><a:effectLst/></a:effectStyle>"
    return """
      <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
      <a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="Office Theme">\
      <a:themeElements><a:clrScheme name="Office">\(colors)</a:clrScheme>\
      <a:fontScheme name="Office"><a:majorFont>\(font)</a:majorFont><a:minorFont>\(font)</a:minorFont></a:fontScheme>\
      <a:fmtScheme name="Office"><a:fillStyleLst>\(solid)\(solid)\(solid)</a:fillStyleLst>\
      <a:lnStyleLst>\(line(6350))\(line(12700))\(line(19050))</a:lnStyleLst>\
      <a:effectStyleLst>\(effect)\(effect)\(effect)</a:effectStyleLst>\
      <a:bgFillStyleLst>\(solid)\(solid)\(solid)</a:bgFillStyleLst></a:fmtScheme></a:themeElements>\
      <a:objectDefaults/><a:extraClrSchemeLst/></a:theme>
      """
  }()
}
