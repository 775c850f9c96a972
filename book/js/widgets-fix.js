// The theme's FontAwesome script replaces <i> icons with <svg> elements. In
// "nest" mode it puts the svg inside the <i> instead, so the ipywidgets Play
// button keeps the element it styles, and the slider links keep working.
window.FontAwesomeConfig = Object.assign(window.FontAwesomeConfig || {}, { autoReplaceSvg: "nest" });
