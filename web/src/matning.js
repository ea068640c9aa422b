// The entry of the page templates/matning.html. The layout already links the
// shared src/layout.css: import this page's own CSS and code here.
