// The entry of the page templates/mal.html. The layout already links the
// shared src/layout.css: import this page's own CSS and code here.
