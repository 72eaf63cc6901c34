// The threshold guide's page (FD7): a level added with MoJ "add another" starts in use, as one
// added without JavaScript does (the component clears every box of the row it copies).
document.addEventListener("moj-add-another:add-item", (event) => {
  const item = event.target;
  if (!(item instanceof HTMLElement)) return;
  item.querySelectorAll("input[type=checkbox][data-checked-when-added]").forEach((box) => {
    box.checked = true;
  });
});
