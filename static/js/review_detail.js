// A refused review item record answers 422 with the row and its errors; htmx does not swap error
// responses by default, so swap this one in place of the row like a successful record.
document.body.addEventListener("htmx:beforeSwap", function (event) {
  if (event.detail.xhr.status === 422) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
